package io.undercurrent.source.mariadb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FloatBoundsTest {

    @Test
    void theCanonicalValueIsTheFloatWidenedExactly() {
        assertThat(FloatBounds.canonical(1.1f)).isEqualTo(1.100000023841858);
        assertThat(FloatBounds.equal(1.100000023841858)).isEqualTo(1.1f);
        assertThat(FloatBounds.equal(1.1))
                .as("the shortest decimal form of a float is not its canonical value")
                .isNull();
    }

    @Test
    void boundsSplitTheFloatsExactlyWhereTheCanonicalValuesCrossTheConstant() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            float f = Float.intBitsToFloat(random.nextInt());
            if (!Float.isFinite(f)) {
                continue;
            }
            double c = i % 2 == 0
                    ? FloatBounds.canonical(f)
                    : FloatBounds.canonical(f) * (1 + random.nextGaussian() * 1e-7);
            Float atLeast = FloatBounds.atLeast(c);
            Float atMost = FloatBounds.atMost(c);
            for (float g : new float[] {f, Math.nextUp(f), Math.nextDown(f)}) {
                if (!Float.isFinite(g)) {
                    continue;
                }
                double d = FloatBounds.canonical(g);
                assertThat(d < c).as("%s < %s", g, c).isEqualTo(atLeast == null || g < atLeast);
                assertThat(d <= c).as("%s <= %s", g, c).isEqualTo(atMost != null && g <= atMost);
            }
        }
        assertThat(FloatBounds.atLeast(1e39)).isNull();
        assertThat(FloatBounds.atMost(-1e39)).isNull();
    }
}
