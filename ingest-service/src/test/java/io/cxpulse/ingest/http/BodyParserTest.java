package io.cxpulse.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.cxpulse.ingest.http.BodyParser.BodyException;
import io.cxpulse.ingest.http.BodyParser.Format;
import io.cxpulse.ingest.http.BodyParser.RawEvent;

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

        assertThatThrownBy(() -> BodyParser.read(never, 2_000, 1_024)).isInstanceOf(BodyException.class)
                .satisfies(e -> assertThat(((BodyException) e).problem().status()).isEqualTo(413));
    }

    @Test
    void shouldStopReadingOneByteAfterTheLimit() throws Exception {
        CountingStream in = new CountingStream(new byte[10_000]);

        assertThatThrownBy(() -> BodyParser.read(in, -1, 1_024)).isInstanceOf(BodyException.class);
        assertThat(in.read).isEqualTo(1_025);
    }

    @Test
    void shouldSplitNdjsonAndKeepBadLinesInPlace() throws Exception {
        List<RawEvent> events = BodyParser.events("{\"a\":1}\n\n{oops\r\n{\"b\":2}\n"
                .getBytes(StandardCharsets.UTF_8), Format.NDJSON, 10);

        assertThat(events).hasSize(3);
        assertThat(events.get(0).json().path("a").asInt()).isEqualTo(1);
        assertThat(events.get(1).parseError()).contains("not JSON");
        assertThat(events.get(2).json().path("b").asInt()).isEqualTo(2);
    }

    @Test
    void shouldRefuseTrailingGarbageAfterJson() {
        assertThatThrownBy(() -> BodyParser.events("{\"a\":1} {\"b\":2}".getBytes(StandardCharsets.UTF_8),
                Format.JSON, 10)).isInstanceOf(BodyException.class);
    }

    @Test
    void shouldRefuseTooManyEvents() {
        assertThatThrownBy(() -> BodyParser.events("[{},{},{}]".getBytes(StandardCharsets.UTF_8), Format.JSON, 2))
                .isInstanceOf(BodyException.class)
                .satisfies(e -> assertThat(((BodyException) e).problem().status()).isEqualTo(413));
        assertThatThrownBy(() -> BodyParser.events("{}\n{}\n{}\n{}\n".getBytes(StandardCharsets.UTF_8),
                Format.NDJSON, 2)).isInstanceOf(BodyException.class);
    }

    @Test
    void shouldRefuseDeepNesting() {
        String deep = "[".repeat(500) + "]".repeat(500);

        assertThatThrownBy(() -> BodyParser.events(deep.getBytes(StandardCharsets.UTF_8), Format.JSON, 10))
                .isInstanceOf(BodyException.class);
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
