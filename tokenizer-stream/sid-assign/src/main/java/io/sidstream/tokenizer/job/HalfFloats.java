package io.sidstream.tokenizer.job;

/**
 * IEEE 754 half precision (binary16) for embeddings kept in state: half the bytes of a float, 11 significant bits
 * (relative rounding error at most 2^-11), finite up to 65504. Hand-written because Java 17 has no
 * {@code Float.floatToFloat16} (Java 20): round to nearest, ties to even, as that method does.
 */
public final class HalfFloats {

    /** The largest finite half, 65504. */
    public static final float MAX_VALUE = 65504f;

    private static final int FLOAT_MAGNITUDE = 0x7fff_ffff;
    private static final int FLOAT_INFINITY = 0x7f80_0000;
    /** 65520 as float bits: 65504 plus half its ulp, where rounding reaches infinity. */
    private static final int OVERFLOW = 0x477f_f000;
    /** 2^-14 as float bits: the smallest normal half. */
    private static final int SMALLEST_NORMAL = 0x3880_0000;
    /** (127 - 15) << 23: the difference of the float and half exponent biases, in float bits. */
    private static final int REBIAS = 0x3800_0000;

    private HalfFloats() {}

    /** Whether every value is a finite number within half's range (larger ones would become infinite). */
    public static boolean fits(float[] values) {
        for (float v : values) {
            if (!(Math.abs(v) <= MAX_VALUE)) {
                return false;
            }
        }
        return true;
    }

    public static short[] encode(float[] values) {
        short[] halves = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            halves[i] = toHalf(values[i]);
        }
        return halves;
    }

    public static float[] decode(short[] halves) {
        float[] values = new float[halves.length];
        for (int i = 0; i < halves.length; i++) {
            values[i] = toFloat(halves[i]);
        }
        return values;
    }

    static short toHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int magnitude = bits & FLOAT_MAGNITUDE;
        if (magnitude > FLOAT_INFINITY) {
            return (short) (sign | 0x7e00);
        }
        if (magnitude >= OVERFLOW) {
            return (short) (sign | 0x7c00);
        }
        if (magnitude < SMALLEST_NORMAL) {
            // a subnormal half counts units of 2^-24; scaling a float by a power of two is exact, rint ties to even
            return (short) (sign | (int) Math.rint(Float.intBitsToFloat(magnitude) * 0x1p24f));
        }
        int rebiased = magnitude - REBIAS;
        int half = rebiased >>> 13;
        int rest = rebiased & 0x1fff;
        // a carry out of the significand moves into the exponent, which is the right result
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
            half++;
        }
        return (short) (sign | half);
    }

    static float toFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int significand = h & 0x3ff;
        if (exponent == 0) {
            float magnitude = significand * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | FLOAT_INFINITY | (significand << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent << 23) + REBIAS) | (significand << 13));
    }
}
