package io.cxpulse.ingest.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.cxpulse.avro.SurveyMetric;
import io.cxpulse.ingest.EventType;
import io.cxpulse.ingest.validation.EventValidator.FieldRule;
import io.cxpulse.schemas.contract.LabelValues;
import io.cxpulse.schemas.contract.ScoreScale;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.parser.core.models.ParseOptions;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Holds the served {@code openapi.yaml} against the validator's own field list: the same fields, required the
 * same, of the same types, with the same limits and symbols. A field or limit changed in one place and not the other
 * fails here.
 */
class OpenApiContractTest {
    private static final OpenAPI API = parse();

    private static OpenAPI parse() {
        try (InputStream in = OpenApiContractTest.class.getResourceAsStream("/openapi.yaml")) {
            ParseOptions options = new ParseOptions();
            options.setResolveFully(true);
            return new OpenAPIParser().readContents(new String(in.readAllBytes(), StandardCharsets.UTF_8), null,
                    options).getOpenAPI();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void shouldDocumentTheFieldsTheValidatorChecks(EventType type) {
        Schema<?> schema = API.getComponents().getSchemas().get(type.schema().getName());
        Map<String, String> documented = new TreeMap<>();
        schema.getProperties().forEach((name, property) -> documented.put(name, describe(property)));
        Map<String, String> checked = new TreeMap<>();
        List<String> required = new ArrayList<>();
        for (FieldRule field : EventValidator.fields(type)) {
            checked.put(field.name(), describe(field));
            if (field.required()) {
                required.add(field.name());
            }
        }

        assertThat(documented).isEqualTo(checked);
        assertThat(schema.getRequired()).containsExactlyInAnyOrderElementsOf(required);
        assertThat(schema.getAdditionalProperties()).isEqualTo(Boolean.FALSE);
    }

    @ParameterizedTest
    @EnumSource(value = EventType.class, names = "SURVEY_RESPONSE")
    void shouldDocumentTheWidestScoreScale(EventType type) {
        Schema<?> score = (Schema<?>) API.getComponents().getSchemas().get(type.schema().getName()).getProperties()
                .get("score");
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (SurveyMetric metric : SurveyMetric.values()) {
            if (ScoreScale.known(metric)) {
                min = Math.min(min, ScoreScale.of(metric).min());
                max = Math.max(max, ScoreScale.of(metric).max());
            }
        }

        assertThat(score.getMinimum()).isEqualByComparingTo(BigDecimal.valueOf(min));
        assertThat(score.getMaximum()).isEqualByComparingTo(BigDecimal.valueOf(max));
    }

    /** A documented property in the words {@link #describe(FieldRule)} uses. */
    private static String describe(Schema<?> property) {
        String type = property.getType() == null && property.getTypes() != null
                ? property.getTypes().iterator().next() : property.getType();
        return switch (type) {
            case "string" -> property.getEnum() != null ? "enum " + property.getEnum()
                    : property.getFormat() != null ? "string " + property.getFormat()
                    : property.getNot() != null ? "string 1.." + property.getMaxLength() + " but not "
                            + property.getNot().getEnum()
                    : "string 1.." + property.getMaxLength();
            case "integer" -> property.getMinimum() != null && "int64".equals(property.getFormat())
                    ? "integer >= " + property.getMinimum() : "integer";
            case "array" -> "array of enum " + property.getItems().getEnum();
            case "object" -> "object of at most " + property.getMaxProperties() + " strings 1.."
                    + ((Schema<?>) property.getAdditionalProperties()).getMaxLength();
            default -> type;
        };
    }

    /** A checked field in the same words. */
    private static String describe(FieldRule field) {
        return switch (field.kind()) {
            case "TEXT" -> "string 1.." + field.maxLength();
            case "LABEL" -> "string 1.." + field.maxLength() + " but not " + LabelValues.RESERVED;
            case "UUID" -> "string uuid";
            case "INSTANT" -> "string date-time";
            case "ENUM" -> "enum " + field.symbols();
            case "INT" -> "integer";
            case "DURATION" -> "integer >= 0";
            case "FRICTION_SIGNALS" -> "array of enum " + field.symbols();
            case "ATTRIBUTES" -> "object of at most " + EventValidator.MAX_ATTRIBUTES + " strings 1.."
                    + EventValidator.MAX_ATTRIBUTE_VALUE;
            default -> field.kind();
        };
    }
}
