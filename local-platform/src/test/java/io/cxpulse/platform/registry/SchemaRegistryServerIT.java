package io.cxpulse.platform.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import io.cxpulse.platform.LocalPlatform;
import io.cxpulse.platform.junit.LocalPlatformExtension;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalPlatformExtension.class)
class SchemaRegistryServerIT {
    static final String V1 = """
            {"type":"record","name":"Survey","namespace":"t","fields":[
              {"name":"score","type":"int"}]}""";
    static final String V2_WITH_DEFAULT = """
            {"type":"record","name":"Survey","namespace":"t","fields":[
              {"name":"score","type":"int"},
              {"name":"comment","type":["null","string"],"default":null}]}""";
    static final String V2_WITHOUT_DEFAULT = """
            {"type":"record","name":"Survey","namespace":"t","fields":[
              {"name":"score","type":"int"},
              {"name":"comment","type":"string"}]}""";

    RegistryHttp http;
    String subject;

    @BeforeEach
    void setUp(LocalPlatform platform) {
        http = new RegistryHttp(platform.schemaRegistryUrl());
        subject = "test-" + UUID.randomUUID() + "-value";
    }

    @Test
    void shouldRegisterAndServeSchemaById() {
        RegistryHttp.Response registered = http.postSchema("/subjects/" + subject + "/versions", V1);

        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.contentType()).startsWith(SchemaRegistryServer.MEDIA_TYPE);
        int id = registered.body().path("id").asInt();
        assertThat(id).isPositive();
        RegistryHttp.Response byId = http.get("/schemas/ids/" + id);
        assertThat(byId.status()).isEqualTo(200);
        assertThat(new org.apache.avro.Schema.Parser().parse(byId.body().path("schema").asText()))
                .isEqualTo(new org.apache.avro.Schema.Parser().parse(V1));
    }

    @Test
    void shouldReturnExistingIdWhenTheSameSchemaIsRegisteredAgain() {
        int first = http.postSchema("/subjects/" + subject + "/versions", V1).body().path("id").asInt();
        int second = http.postSchema("/subjects/" + subject + "/versions", V1).body().path("id").asInt();

        assertThat(second).isEqualTo(first);
        assertThat(http.get("/subjects/" + subject + "/versions").text()).isEqualTo("[1]");
    }

    @Test
    void shouldGiveTheSameSchemaUnderTwoSubjectsTheSameId() {
        String other = "other-" + subject;
        int first = http.postSchema("/subjects/" + subject + "/versions", V1).body().path("id").asInt();
        int second = http.postSchema("/subjects/" + other + "/versions", V1).body().path("id").asInt();

        assertThat(second).isEqualTo(first);
        assertThat(http.get("/schemas/ids/" + first + "/subjects").text()).contains(subject, other);
    }

    @Test
    void shouldServeLatestAndNumberedVersions() {
        int id1 = http.postSchema("/subjects/" + subject + "/versions", V1).body().path("id").asInt();
        int id2 = http.postSchema("/subjects/" + subject + "/versions", V2_WITH_DEFAULT).body().path("id").asInt();

        RegistryHttp.Response latest = http.get("/subjects/" + subject + "/versions/latest");
        RegistryHttp.Response first = http.get("/subjects/" + subject + "/versions/1");

        assertThat(id2).isNotEqualTo(id1);
        assertThat(latest.body().path("version").asInt()).isEqualTo(2);
        assertThat(latest.body().path("id").asInt()).isEqualTo(id2);
        assertThat(latest.body().path("subject").asText()).isEqualTo(subject);
        assertThat(first.body().path("id").asInt()).isEqualTo(id1);
        assertThat(http.get("/subjects/" + subject + "/versions/1/schema").status()).isEqualTo(200);
    }

    @Test
    void shouldLookUpARegisteredSchemaUnderItsSubject() {
        int id = http.postSchema("/subjects/" + subject + "/versions", V1).body().path("id").asInt();

        RegistryHttp.Response found = http.postSchema("/subjects/" + subject, V1);
        RegistryHttp.Response missing = http.postSchema("/subjects/" + subject, V2_WITH_DEFAULT);

        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body().path("id").asInt()).isEqualTo(id);
        assertThat(found.body().path("version").asInt()).isEqualTo(1);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo(40403);
    }

    @Test
    void shouldRefuseAnIncompatibleSchemaWith409() {
        http.postSchema("/subjects/" + subject + "/versions", V1);

        RegistryHttp.Response refused = http.postSchema("/subjects/" + subject + "/versions", V2_WITHOUT_DEFAULT);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo(409);
        assertThat(refused.body().path("message").asText()).contains(subject).contains("comment");
        assertThat(http.get("/subjects/" + subject + "/versions").text()).isEqualTo("[1]");
    }

    @Test
    void shouldReportCompatibilityWithTheLatestVersion() {
        http.postSchema("/subjects/" + subject + "/versions", V1);

        RegistryHttp.Response bad = http.postSchema(
                "/compatibility/subjects/" + subject + "/versions/latest?verbose=true", V2_WITHOUT_DEFAULT);
        RegistryHttp.Response good = http.postSchema(
                "/compatibility/subjects/" + subject + "/versions/latest", V2_WITH_DEFAULT);

        assertThat(bad.status()).isEqualTo(200);
        assertThat(bad.body().path("is_compatible").asBoolean()).isFalse();
        assertThat(bad.body().path("messages").toString()).contains("READER_FIELD_MISSING_DEFAULT_VALUE");
        assertThat(good.body().path("is_compatible").asBoolean()).isTrue();
    }

    @Test
    void shouldApplyASubjectLevelOverTheGlobalOne() {
        http.postSchema("/subjects/" + subject + "/versions", V1);
        assertThat(http.get("/config/" + subject).errorCode()).isEqualTo(40408);
        assertThat(http.get("/config/" + subject + "?defaultToGlobal=true").body().path("compatibilityLevel")
                .asText()).isEqualTo("BACKWARD");

        RegistryHttp.Response set = http.put("/config/" + subject, Map.of("compatibility", "none"));
        RegistryHttp.Response accepted = http.postSchema("/subjects/" + subject + "/versions", V2_WITHOUT_DEFAULT);

        assertThat(set.body().path("compatibility").asText()).isEqualTo("NONE");
        assertThat(http.get("/config/" + subject).body().path("compatibilityLevel").asText()).isEqualTo("NONE");
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(http.get("/config").body().path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    }

    @Test
    void shouldCheckFullTransitiveAgainstEveryEarlierVersion() {
        http.put("/config/" + subject, Map.of("compatibility", "NONE"));
        http.postSchema("/subjects/" + subject + "/versions", V1);
        http.postSchema("/subjects/" + subject + "/versions", V2_WITHOUT_DEFAULT);
        http.put("/config/" + subject, Map.of("compatibility", "BACKWARD_TRANSITIVE"));
        String v3 = V2_WITHOUT_DEFAULT.replace("\"string\"}]}", "\"string\"},"
                + "{\"name\":\"channel\",\"type\":\"string\",\"default\":\"WEB\"}]}");

        RegistryHttp.Response refused = http.postSchema("/subjects/" + subject + "/versions", v3);

        assertThat(refused.status()).as("v3 reads v2 but not v1, which lacks comment").isEqualTo(409);
    }

    @Test
    void shouldRefuseAnUnknownCompatibilityLevelWith42203() {
        RegistryHttp.Response refused = http.put("/config/" + subject, Map.of("compatibility", "SIDEWAYS"));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.errorCode()).isEqualTo(42203);
    }

    @Test
    void shouldAnswerConfluentErrorCodesForMissingThings() {
        assertThat(http.get("/subjects/" + subject + "/versions").errorCode()).isEqualTo(40401);
        assertThat(http.get("/schemas/ids/987654321").errorCode()).isEqualTo(40403);
        http.postSchema("/subjects/" + subject + "/versions", V1);
        assertThat(http.get("/subjects/" + subject + "/versions/7").errorCode()).isEqualTo(40402);
        assertThat(http.get("/subjects/" + subject + "/versions/zero").errorCode()).isEqualTo(42202);
        assertThat(http.get("/no/such/path").status()).isEqualTo(404);
    }

    @Test
    void shouldRefuseAnInvalidSchemaWith42201() {
        RegistryHttp.Response notAvro = http.postSchema("/subjects/" + subject + "/versions", "{\"type\":\"rec\"}");
        RegistryHttp.Response notJson = http.post("/subjects/" + subject + "/versions", "{not json");
        RegistryHttp.Response noSchema = http.post("/subjects/" + subject + "/versions", Map.of("schem", "x"));

        assertThat(notAvro.status()).isEqualTo(422);
        assertThat(notAvro.errorCode()).isEqualTo(42201);
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(noSchema.errorCode()).isEqualTo(42201);
    }
}
