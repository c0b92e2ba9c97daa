package dev.gantry.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The window keeps a response's first and last bytes, whatever the chunking. */
class ByteWindowTest {
    static final int HEAD = ByteWindow.HEAD;
    static final int TAIL = ByteWindow.TAIL;

    /** Bytes that differ from their neighbours, so that a shifted or reordered copy shows. */
    static byte[] response(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte) (i * 31 + i / 251);
        return b;
    }

    /** Feeds {@code bytes} in chunks whose sizes cycle through {@code chunkSizes}. */
    static ByteWindow feed(byte[] bytes, int... chunkSizes) {
        var window = new ByteWindow();
        int pos = 0;
        for (int i = 0; pos < bytes.length; i++) {
            int n = Math.min(chunkSizes[i % chunkSizes.length], bytes.length - pos);
            window.append(Buffer.buffer(Arrays.copyOfRange(bytes, pos, pos + n)));
            pos += n;
        }
        return window;
    }

    static Stream<Arguments> totalsAndChunkings() {
        int[] totals = {0, 1, 100, HEAD - 1, HEAD, HEAD + 1, TAIL - 1, TAIL, TAIL + 1, HEAD + TAIL - 1, HEAD + TAIL,
                HEAD + TAIL + 1, 3 * TAIL + 17, 200_000};
        int[][] chunkings = {{1}, {1, 7, 4_095, 2, 8_193, 3}, {HEAD}, {TAIL + 5}, {100_000}, {13, 1, 1, 997}};
        return Arrays.stream(totals).boxed()
                .flatMap(total -> Arrays.stream(chunkings).map(sizes -> Arguments.of(total, sizes)));
    }

    @ParameterizedTest(name = "{0} bytes in chunks of {1}")
    @MethodSource("totalsAndChunkings")
    void keepsTheFirstAndLastBytesInOrder(int total, int[] chunkSizes) {
        byte[] bytes = response(total);

        ByteWindow window = feed(bytes, chunkSizes);

        assertThat(window.total()).isEqualTo(total);
        assertThat(window.head()).isEqualTo(Arrays.copyOfRange(bytes, 0, Math.min(total, HEAD)));
        assertThat(window.tail()).isEqualTo(Arrays.copyOfRange(bytes, Math.max(0, total - TAIL), total));
        assertThat(window.tailIsWhole()).isEqualTo(total <= TAIL);
    }

    @Test
    void anEmptyWindowHasNoHeadNoTailAndIsWhole() {
        var window = new ByteWindow();

        assertThat(window.head()).isEmpty();
        assertThat(window.tail()).isEmpty();
        assertThat(window.total()).isZero();
        assertThat(window.tailIsWhole()).isTrue();
    }

    @Test
    void emptyChunksChangeNothing() {
        byte[] bytes = response(HEAD + 10);
        var window = new ByteWindow();
        window.append(Buffer.buffer());
        window.append(Buffer.buffer(bytes));
        window.append(Buffer.buffer());

        assertThat(window.total()).isEqualTo(bytes.length);
        assertThat(window.tail()).isEqualTo(bytes);
    }

    @Test
    void theTailIsWholeUpToExactlyTailBytes() {
        assertThat(feed(response(TAIL), 1_000).tailIsWhole()).isTrue();
        assertThat(feed(response(TAIL), 1_000).tail()).isEqualTo(response(TAIL));
        assertThat(feed(response(TAIL + 1), 1_000).tailIsWhole()).isFalse();
    }
}
