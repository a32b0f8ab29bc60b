package io.cxpulse.platform.registry;

/**
 * One registered version of a subject.
 *
 * @param subject the subject
 * @param version the version within the subject, from 1
 * @param id      the global schema id, shared by every subject that holds the same schema
 * @param schema  the schema text in Avro's canonical JSON
 */
public record SchemaVersion(String subject, int version, int id, String schema) {
}
