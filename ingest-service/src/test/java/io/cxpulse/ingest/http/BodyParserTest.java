package io.cxpulse.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.cxpulse.common.problem.ProblemException;
import io.cxpulse.ingest.http.BodyParser.Format;

import org.junit.jupiter.api.Test;

class BodyParserTest {

    @Test
    void shouldRecogniseContentTypes() {
        assertThat(BodyParser.format("application/json; charset=UTF-8")).contains(Format.JSON);
        assertThat(BodyParser.format("Application/X-NDJSON")).contains(Format.NDJSON);
        assertThat(BodyParser.format("text/plain")).isEmpty();
        assertThat(BodyParser.format(null)).isEmpty();
    }

    @Test
    void shouldRefuseADeclaredLengthOverTheLimitWithoutReading() {
        InputStream never = new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("the body must not be read");
            }
        };

        assertThatThrownBy(() -> BodyParser.read(never, 2_000, 1_024)).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).problem().status()).isEqualTo(413));
    }

    @Test
    void shouldStopReadingOneByteAfterTheLimit() throws Exception {
        CountingStream in = new CountingStream(new byte[10_000]);

        assertThatThrownBy(() -> BodyParser.read(in, -1, 1_024)).isInstanceOf(ProblemException.class);
        assertThat(in.read).isEqualTo(1_025);
    }

    @Test
    void shouldReadABodyOfDeclaredLength() throws Exception {
        byte[] bytes = "[{\"a\":1}]".getBytes(StandardCharsets.UTF_8);

        assertThat(BodyParser.read(new ByteArrayInputStream(bytes), bytes.length, 1_024)).isEqualTo(bytes);
    }

    @Test
    void shouldRefuseABodyThatDoesNotMatchItsDeclaredLength() {
        byte[] bytes = new byte[100];

        assertThatThrownBy(() -> BodyParser.read(new ByteArrayInputStream(bytes), 101, 1_024))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("ended after 100");
        assertThatThrownBy(() -> BodyParser.read(new ByteArrayInputStream(bytes), 99, 1_024))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("longer than");
    }

    /**
     * Each event as a tree, or the reason its line did not parse, in the order they were handed on; checks that
     * the count returned is theirs.
     */
    private static List<Object> events(String body, Format format, int maxEvents) {
        List<Object> settled = new ArrayList<>();
        int events = BodyParser.events(body.getBytes(StandardCharsets.UTF_8), format, maxEvents,
                parser -> (Object) parser.readValueAsTree(), error -> error, settled::add);
        assertThat(events).as("the count of events handed on").isEqualTo(settled.size());
        return settled;
    }

    @Test
    void shouldSplitNdjsonAndKeepBadLinesInPlace() throws Exception {
        List<Object> events = events("{\"a\":1}\n\n{oops\r\n{\"b\":2}\r\n  \n[3]", Format.NDJSON, 10);

        assertThat(events).hasSize(4);
        assertThat(((JsonNode) events.get(0)).path("a").asInt()).isEqualTo(1);
        assertThat((String) events.get(1)).contains("not JSON");
        assertThat(((JsonNode) events.get(2)).path("b").asInt()).isEqualTo(2);
        assertThat(events.get(3)).hasToString("[3]");
    }

    @Test
    void shouldTurnALineWithTwoValuesIntoAnErrorInItsPlace() throws Exception {
        List<Object> events = events("{\"a\":1} {\"b\":2}\n{\"c\":3}", Format.NDJSON, 10);

        assertThat(events).hasSize(2);
        assertThat((String) events.get(0)).contains("not JSON").contains("more on the line");
        assertThat(((JsonNode) events.get(1)).path("c").asInt()).isEqualTo(3);
    }

    @Test
    void shouldStreamAnArrayElementByElement() throws Exception {
        assertThat(events("[{\"a\":1}, 2, \"x\", {}]", Format.JSON, 4)).hasSize(4)
                .extracting(Object::toString).containsExactly("{\"a\":1}", "2", "\"x\"", "{}");
        assertThat(events("{\"a\":[1,2]}", Format.JSON, 1)).extracting(Object::toString)
                .containsExactly("{\"a\":[1,2]}");
    }

    @Test
    void shouldRefuseTrailingGarbageAfterJson() {
        assertThatThrownBy(() -> events("{\"a\":1} {\"b\":2}", Format.JSON, 10))
                .isInstanceOf(ProblemException.class).hasMessageContaining("more after its first value");
        assertThatThrownBy(() -> events("[{\"a\":1}, {oops}]", Format.JSON, 10))
                .isInstanceOf(ProblemException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> events("[{\"a\":1}", Format.JSON, 10)).isInstanceOf(ProblemException.class);
    }

    @Test
    void shouldRefuseBodiesWithoutEvents() {
        for (String body : new String[] {"", "  ", "[]", "7", "\"text\""}) {
            assertThatThrownBy(() -> events(body, Format.JSON, 10)).as(body).isInstanceOf(ProblemException.class)
                    .satisfies(e -> assertThat(((ProblemException) e).problem().status()).isEqualTo(400));
        }
        assertThatThrownBy(() -> events("\n \r\n", Format.NDJSON, 10)).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> events("hello\nworld", Format.NDJSON, 10)).isInstanceOf(ProblemException.class)
                .hasMessageContaining("no line parses");
    }

    @Test
    void shouldRefuseTooManyEvents() {
        assertThatThrownBy(() -> events("[{},{},{}]", Format.JSON, 2))
                .isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).problem().status()).isEqualTo(413));
        assertThatThrownBy(() -> events("{}\n{}\n{}\n{}\n", Format.NDJSON, 2)).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).problem().status()).isEqualTo(413));
    }

    @Test
    void shouldRefuseDeepNesting() {
        String deep = "[".repeat(500) + "]".repeat(500);

        assertThatThrownBy(() -> events(deep, Format.JSON, 10)).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> events("[" + deep + "]", Format.JSON, 10)).isInstanceOf(ProblemException.class);
    }

    @Test
    void shouldRefuseDuplicateKeysInNestedObjects() {
        assertThatThrownBy(() -> events("{\"a\":{\"b\":1,\"b\":2}}", Format.JSON, 10))
                .isInstanceOf(ProblemException.class).hasMessageContaining("b");
    }

    private static final class CountingStream extends ByteArrayInputStream {
        int read;

        CountingStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            int n = super.read(b, off, len);
            read += Math.max(n, 0);
            return n;
        }
    }
}
