package io.sidstream.core.sid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A video's semantic ID: one code per quantizer level (the prefix) and the collision token that tells apart the
 * videos whose prefixes are equal. Immutable.
 */
public final class Sid {

    private final int[] prefix;
    private final int collision;

    private Sid(int[] prefix, int collision) {
        if (prefix.length == 0) {
            throw new IllegalArgumentException("a SID has at least one level");
        }
        for (int code : prefix) {
            if (code < 0) {
                throw new IllegalArgumentException("negative code in " + Arrays.toString(prefix));
            }
        }
        if (collision < 0) {
            throw new IllegalArgumentException("negative collision token " + collision);
        }
        this.prefix = prefix.clone();
        this.collision = collision;
    }

    public static Sid of(int[] prefix, int collision) {
        return new Sid(prefix, collision);
    }

    /** Reads the codes of a {@code SidAssigned} record: the prefix, then the collision token last. */
    public static Sid fromCodes(List<Integer> codes) {
        if (codes.size() < 2) {
            throw new IllegalArgumentException("a SID has at least one level and a collision token, got " + codes);
        }
        int[] prefix = new int[codes.size() - 1];
        for (int i = 0; i < prefix.length; i++) {
            prefix[i] = codes.get(i);
        }
        return new Sid(prefix, codes.get(codes.size() - 1));
    }

    public int levels() {
        return prefix.length;
    }

    public int code(int level) {
        return prefix[level];
    }

    public int[] prefix() {
        return prefix.clone();
    }

    public int collision() {
        return collision;
    }

    /** The prefix as a compact key for keyed state and maps, e.g. {@code "12-24-52"}. */
    public String prefixKey() {
        return prefixKey(prefix);
    }

    public static String prefixKey(int[] prefix) {
        StringBuilder b = new StringBuilder(prefix.length * 4);
        for (int i = 0; i < prefix.length; i++) {
            if (i > 0) {
                b.append('-');
            }
            b.append(prefix[i]);
        }
        return b.toString();
    }

    /** Prefix then collision token: the form of {@code SidAssigned.codes}. */
    public List<Integer> codes() {
        List<Integer> codes = new ArrayList<>(prefix.length + 1);
        for (int code : prefix) {
            codes.add(code);
        }
        codes.add(collision);
        return codes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sid other && collision == other.collision && Arrays.equals(prefix, other.prefix);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(prefix) + collision;
    }

    /** {@code (12,24,52,0)}, as in the TIGER paper. */
    @Override
    public String toString() {
        return "(" + prefixKey().replace('-', ',') + "," + collision + ")";
    }
}
