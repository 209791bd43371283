package io.sidstream.tokenizer.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HalfFloatsTest {

    @Test
    void everyHalfRoundTripsThroughFloat() {
        for (int h = 0; h <= 0xffff; h++) {
            float value = HalfFloats.toFloat((short) h);
            if (Float.isNaN(value)) {
                assertThat((h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0)
                        .as("NaN from 0x%04x", h)
                        .isTrue();
                assertThat(Float.isNaN(HalfFloats.toFloat(HalfFloats.toHalf(value))))
                        .isTrue();
            } else {
                assertThat(HalfFloats.toHalf(value) & 0xffff).as("0x%04x", h).isEqualTo(h);
            }
        }
    }

    @Test
    void knownValues() {
        assertThat(HalfFloats.toFloat((short) 0x3c00)).isEqualTo(1f);
        assertThat(HalfFloats.toFloat((short) 0xc000)).isEqualTo(-2f);
        assertThat(HalfFloats.toFloat((short) 0x7bff)).isEqualTo(65504f);
        assertThat(HalfFloats.toFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(HalfFloats.toFloat((short) 0x0400)).isEqualTo(0x1p-14f);
        assertThat(HalfFloats.toHalf(65519.99f)).isEqualTo((short) 0x7bff);
        assertThat(HalfFloats.toHalf(65520f)).isEqualTo((short) 0x7c00);
        assertThat(HalfFloats.toHalf(0x1p-25f))
                .as("half of the smallest subnormal: ties to even zero")
                .isEqualTo((short) 0);
        assertThat(HalfFloats.toHalf(0x1.8p-24f))
                .as("1.5 units: ties to even 2")
                .isEqualTo((short) 2);
        assertThat(HalfFloats.toHalf(-0f)).isEqualTo((short) 0x8000);
        assertThat(HalfFloats.toHalf(1 + 0x1p-11f))
                .as("tie between 1 and 1 + 2^-10: even")
                .isEqualTo((short) 0x3c00);
        assertThat(HalfFloats.toHalf(1 + 0x3p-11f))
                .as("tie between 1 + 2^-10 and 1 + 2^-9: even")
                .isEqualTo((short) 0x3c02);
    }

    @Test
    void floatsRoundToTheNearestHalfTiesToEven() {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 200_000; i++) {
            // magnitudes from subnormal halves to the largest finite one
            float value = (float) ((random.nextBoolean() ? 1 : -1) * Math.pow(2, random.nextDouble(-26, 15.99)));
            short half = HalfFloats.toHalf(value);
            double error = Math.abs(HalfFloats.toFloat(half) - (double) value);
            for (int neighbour : new int[] {(half & 0xffff) - 1, (half & 0xffff) + 1}) {
                if ((neighbour & 0x7fff) > 0x7bff
                        || neighbour < 0
                        || neighbour > 0xffff
                        || (neighbour & 0x8000) != (half & 0x8000)) {
                    continue;
                }
                double other = Math.abs(HalfFloats.toFloat((short) neighbour) - (double) value);
                assertThat(error)
                        .as("%s -> 0x%04x vs 0x%04x", value, half, neighbour)
                        .isLessThanOrEqualTo(other);
                if (error == other) {
                    assertThat(half & 1)
                            .as("tie at %s goes to the even significand", value)
                            .isZero();
                }
            }
        }
    }

    @Test
    void fitsOnlyFiniteValuesWithinRange() {
        assertThat(HalfFloats.fits(new float[] {0f, -65504f, 65504f, 1e-9f})).isTrue();
        assertThat(HalfFloats.fits(new float[] {0f, 65520f})).isFalse();
        assertThat(HalfFloats.fits(new float[] {Float.NaN})).isFalse();
        assertThat(HalfFloats.fits(new float[] {Float.NEGATIVE_INFINITY})).isFalse();
    }
}
