package io.cxpulse.schemas.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

/** Fails the build when a working-tree schema can no longer read what its released version wrote. */
class SchemaEvolutionTest {

    @Test
    void shouldKeepEveryIssueNamedTypeReleased() {
        assertThat(ReleasedSchemas.all()).extracting(Schema::getFullName).containsExactlyInAnyOrder(
                "io.cxpulse.avro.CxAlert", "io.cxpulse.avro.DeadLetter", "io.cxpulse.avro.SurveyResponse",
                "io.cxpulse.avro.TicketEvent", "io.cxpulse.avro.TouchpointEvent", "io.cxpulse.avro.SurveyAggregate",
                "io.cxpulse.avro.TicketAggregate", "io.cxpulse.avro.FrictionAggregate");
    }

    @Test
    void shouldReadEveryReleasedSchemaWithTheWorkingTreeSchema() {
        for (Schema released : ReleasedSchemas.all()) {
            Class<?> generated = SpecificData.get().getClass(released);
            assertThat(generated).as("generated class for released %s", released.getFullName()).isNotNull();
            Schema current = SpecificData.get().getSchema(generated);

            assertThat(ReleasedSchemas.backwardIncompatibilities(current, released))
                    .as("%s in the working tree must be BACKWARD compatible with its released schema; "
                            + "new fields need defaults", released.getFullName())
                    .isEmpty();
        }
    }

    @Test
    void shouldFlagAFieldAddedWithoutDefault() {
        Schema released = ReleasedSchemas.all().stream()
                .filter(s -> s.getName().equals("SurveyResponse")).findFirst().orElseThrow();
        Schema broken = withExtraField(released, "{\"name\":\"language\",\"type\":\"string\",\"doc\":\"x\"}");
        Schema fine = withExtraField(released,
                "{\"name\":\"language\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"x\"}");

        List<String> problems = ReleasedSchemas.backwardIncompatibilities(broken, released);

        assertThat(problems).singleElement().asString().contains("READER_FIELD_MISSING_DEFAULT_VALUE")
                .contains("language");
        assertThat(ReleasedSchemas.backwardIncompatibilities(fine, released)).isEmpty();
    }

    @Test
    void shouldFlagAnEnumSymbolRemoved() {
        Schema released = new Schema.Parser().parse("""
                {"type":"record","name":"R","fields":[{"name":"c","type":
                  {"type":"enum","name":"E","symbols":["A","B"]}}]}""");
        Schema current = new Schema.Parser().parse("""
                {"type":"record","name":"R","fields":[{"name":"c","type":
                  {"type":"enum","name":"E","symbols":["A"]}}]}""");

        assertThat(ReleasedSchemas.backwardIncompatibilities(current, released)).isNotEmpty();
    }

    private static Schema withExtraField(Schema schema, String field) {
        String json = schema.toString();
        int end = json.lastIndexOf("]");
        return new Schema.Parser().parse(json.substring(0, end) + "," + field + json.substring(end));
    }
}
