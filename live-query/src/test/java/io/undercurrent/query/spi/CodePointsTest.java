package io.undercurrent.query.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodePointsTest {

    @Test
    void codePointOrderIsUtf8ByteOrder() {
        Random random = new Random(11);
        int[] samples = {0x41, 0x7A, 0xE9, 0x3A9, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF};
        for (int i = 0; i < 20_000; i++) {
            String a = random(random, samples);
            String b = random(random, samples);
            int expected =
                    Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
            assertThat(Integer.signum(CodePoints.compare(a, a.length(), b, b.length())))
                    .as("%s vs %s", a, b)
                    .isEqualTo(Integer.signum(expected));
        }
    }

    private static String random(Random random, int[] samples) {
        StringBuilder b = new StringBuilder();
        for (int n = random.nextInt(4); n > 0; n--) {
            b.appendCodePoint(samples[random.nextInt(samples.length)]);
        }
        return b.toString();
    }
}
