package io.cxpulse.schemas.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.cxpulse.avro.CxAlert;
import io.cxpulse.avro.DeadLetter;
import io.cxpulse.avro.SurveyAggregate;
import io.cxpulse.avro.SurveyResponse;
import io.cxpulse.avro.TicketEvent;
import io.cxpulse.avro.TouchpointEvent;

import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The house rules for schemas, checked on every type reachable from the top-level records. */
class SchemaStyleTest {
    static final List<Schema> TOP_LEVEL = List.of(SurveyResponse.getClassSchema(), TicketEvent.getClassSchema(),
            TouchpointEvent.getClassSchema(), DeadLetter.getClassSchema(), CxAlert.getClassSchema(),
            SurveyAggregate.getClassSchema());

    @Test
    void shouldDocumentEveryField() {
        List<String> undocumented = new ArrayList<>();
        records().forEach(record -> record.getFields().stream()
                .filter(f -> f.doc() == null || f.doc().isBlank())
                .forEach(f -> undocumented.add(record.getName() + "." + f.name())));

        assertThat(undocumented).isEmpty();
    }

    @Test
    void shouldGiveEveryEnumADefaultSymbol() {
        List<String> withoutDefault = new ArrayList<>();
        walk().values().stream().filter(s -> s.getType() == Schema.Type.ENUM && s.getEnumDefault() == null)
                .forEach(s -> withoutDefault.add(s.getFullName()));

        assertThat(withoutDefault).isEmpty();
    }

    @Test
    void shouldMakeOptionalFieldsNullFirstUnionsDefaultingToNull() {
        List<String> wrong = new ArrayList<>();
        records().forEach(record -> record.getFields().stream()
                .filter(f -> f.schema().getType() == Schema.Type.UNION)
                .filter(f -> f.schema().getTypes().get(0).getType() != Schema.Type.NULL
                        || f.defaultVal() != JsonProperties.NULL_VALUE)
                .forEach(f -> wrong.add(record.getName() + "." + f.name())));

        assertThat(wrong).isEmpty();
    }

    @Test
    void shouldUseTimestampLogicalTypesForInstants() {
        List<String> wrong = new ArrayList<>();
        records().forEach(record -> record.getFields().stream()
                .filter(f -> f.name().endsWith("At") || f.name().endsWith("Timestamp")
                        || f.name().equals("windowStart") || f.name().equals("windowEnd"))
                .filter(f -> !(nonNull(f.schema()).getLogicalType() instanceof LogicalTypes.TimestampMillis))
                .forEach(f -> wrong.add(record.getName() + "." + f.name())));

        assertThat(wrong).isEmpty();
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        return schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElse(schema);
    }

    private static List<Schema> records() {
        return walk().values().stream().filter(s -> s.getType() == Schema.Type.RECORD).toList();
    }

    private static Map<Schema, Schema> walk() {
        Map<Schema, Schema> seen = new IdentityHashMap<>();
        TOP_LEVEL.forEach(schema -> visit(schema, seen));
        return seen;
    }

    private static void visit(Schema schema, Map<Schema, Schema> seen) {
        if (seen.put(schema, schema) != null) {
            return;
        }
        switch (schema.getType()) {
            case RECORD -> schema.getFields().forEach(f -> visit(f.schema(), seen));
            case UNION -> schema.getTypes().forEach(s -> visit(s, seen));
            case ARRAY -> visit(schema.getElementType(), seen);
            case MAP -> visit(schema.getValueType(), seen);
            default -> {
            }
        }
    }
}
