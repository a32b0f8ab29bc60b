package io.cxpulse.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;

import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.LocalPlatformExtension;

import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The client against the real registry: every call in the supported subset, and the errors it maps. */
@ExtendWith(LocalPlatformExtension.class)
class SchemaRegistryClientIT {
    static final Schema V1 = new Schema.Parser().parse("""
            {"type":"record","name":"Order","namespace":"t","fields":[{"name":"amount","type":"long"}]}""");
    static final Schema V2 = new Schema.Parser().parse("""
            {"type":"record","name":"Order","namespace":"t","fields":[{"name":"amount","type":"long"},
             {"name":"currency","type":"string","default":"EUR"}]}""");
    static final Schema BREAKING = new Schema.Parser().parse("""
            {"type":"record","name":"Order","namespace":"t","fields":[{"name":"amount","type":"long"},
             {"name":"currency","type":"string"}]}""");

    SchemaRegistryClient client;
    String subject;

    @BeforeEach
    void setUp(LocalPlatform platform) {
        client = SchemaRegistryClient.forUrl(platform.schemaRegistryUrl());
        subject = "orders-" + UUID.randomUUID() + "-value";
    }

    @Test
    void shouldRegisterLookUpAndFetch() {
        int id1 = client.register(subject, V1);
        int id2 = client.register(subject, V2);
        SchemaRegistryClient fresh = SchemaRegistryClient.forUrl(client.config().urls().get(0).toString());

        assertThat(fresh.getId(subject, V1)).isEqualTo(id1);
        assertThat(fresh.getSchemaById(id2)).isEqualTo(V2);
        assertThat(fresh.getLatestSchemaMetadata(subject)).isEqualTo(new SchemaMetadata(subject, 2, id2, V2));
        assertThat(fresh.getSchemaMetadata(subject, 1)).isEqualTo(new SchemaMetadata(subject, 1, id1, V1));
        assertThat(fresh.getAllVersions(subject)).containsExactly(1, 2);
        assertThat(fresh.getAllSubjects()).contains(subject);
    }

    @Test
    void shouldReportAnIncompatibleSchemaAndRefuseToRegisterIt() {
        client.register(subject, V1);

        CompatibilityResult check = client.testCompatibility(subject, BREAKING);

        assertThat(check.compatible()).isFalse();
        assertThat(check.messages()).anySatisfy(m -> assertThat(m).contains("currency"));
        assertThat(client.testCompatibility(subject, V2).compatible()).isTrue();
        assertThatThrownBy(() -> client.register(subject, BREAKING))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.isIncompatible()).isTrue();
                    assertThat(e.status()).isEqualTo(409);
                })
                .hasMessageContaining(subject);
    }

    @Test
    void shouldReadAndSetCompatibilityLevels() {
        client.register(subject, V1);

        assertThat(client.getCompatibility()).isEqualTo("BACKWARD");
        assertThat(client.getCompatibility(subject)).isEqualTo("BACKWARD");
        assertThat(client.updateCompatibility(subject, "NONE")).isEqualTo("NONE");
        assertThat(client.getCompatibility(subject)).isEqualTo("NONE");
        assertThat(client.register(subject, BREAKING)).isPositive();
        assertThatThrownBy(() -> client.updateCompatibility(subject, "LOOSE"))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INVALID_COMPATIBILITY_LEVEL));
    }

    @Test
    void shouldSetTheGlobalLevelAndRestoreIt() {
        String before = client.getCompatibility();
        try {
            assertThat(client.updateCompatibility("FULL")).isEqualTo("FULL");
            assertThat(client.getCompatibility()).isEqualTo("FULL");
        } finally {
            client.updateCompatibility(before);
        }
    }

    @Test
    void shouldMapMissingThingsToConfluentErrorCodes() {
        assertThatThrownBy(() -> client.getLatestSchemaMetadata(subject))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND))
                .hasMessageContaining(subject);
        client.register(subject, V1);
        assertThatThrownBy(() -> client.getSchemaMetadata(subject, 9))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.VERSION_NOT_FOUND));
        assertThatThrownBy(() -> client.getId(subject, V2))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
        assertThatThrownBy(() -> client.getSchemaById(Integer.MAX_VALUE))
                .isInstanceOfSatisfying(SchemaRegistryException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
    }
}
