package io.cxpulse.schemas.evolution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/** The schemas as released, kept under {@code src/main/avro/released}, and the check that guards them. */
final class ReleasedSchemas {
    static final Path DIRECTORY = Path.of("src", "main", "avro", "released");

    private ReleasedSchemas() {
    }

    static List<Schema> all() {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            List<Schema> schemas = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
                schemas.add(new Schema.Parser().parse(file.toFile()));
            }
            return schemas;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Why {@code current} cannot read data written with {@code released} (BACKWARD compatibility), by Avro's own
     * checker; empty when it can.
     */
    static List<String> backwardIncompatibilities(Schema current, Schema released) {
        return SchemaCompatibility.checkReaderWriterCompatibility(current, released).getResult()
                .getIncompatibilities().stream()
                .map(Incompatibility::toString)
                .toList();
    }
}
