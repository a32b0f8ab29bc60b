package io.cxpulse.ingest.validation;

/**
 * What is wrong with one field of one event.
 *
 * @param field   the field's path, such as {@code score} or {@code frictionSignals[1]}; empty for the event itself
 * @param message what is wrong and what is expected, for a person
 * @param reason  the rule it breaks, a bounded set used as a metric label
 */
public record FieldError(String field, String message, Reason reason) {

    /** The validation rules, as metric labels. */
    public enum Reason {
        NOT_AN_OBJECT("not_an_object"),
        MISSING_FIELD("missing_field"),
        UNKNOWN_FIELD("unknown_field"),
        SERVER_FIELD("server_field"),
        WRONG_TYPE("wrong_type"),
        BAD_ENUM("bad_enum"),
        OUT_OF_RANGE("out_of_range"),
        TOO_LONG("too_long"),
        BAD_UUID("bad_uuid"),
        BAD_TIMESTAMP("bad_timestamp"),
        TOO_OLD("too_old"),
        IN_FUTURE("in_future"),
        RESERVED("reserved"),
        MALFORMED_JSON("malformed_json");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
