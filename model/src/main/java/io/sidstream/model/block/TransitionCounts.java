package io.sidstream.model.block;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Counts by 64-bit key, in open addressing with linear probing: the transition prior's table. Exact where a hashed
 * array of the same memory is not: 1.5 million (video, SID node) keys of a 12,000-item catalogue in 2 million hashed
 * rows put a spurious count under about half of all lookups, and the prior then favoured random candidates (measured:
 * validation Recall@10 0.064 from the prior alone against 0.141 for the co-occurrence table it holds). Not
 * thread-safe for writers; readers see a table that is not being written (the trainer counts before it trains).
 */
final class TransitionCounts {

    private static final long EMPTY = 0L;
    private long[] keys;
    private float[] values;
    private int size;

    TransitionCounts() {
        this(1 << 16);
    }

    private TransitionCounts(int capacity) {
        keys = new long[capacity];
        values = new float[capacity];
    }

    void add(long key, float weight) {
        long k = key == EMPTY ? 1L : key;
        if ((size + 1) * 10L > keys.length * 6L) {
            grow();
        }
        int mask = keys.length - 1;
        int slot = (int) (k ^ (k >>> 32)) & mask;
        while (keys[slot] != EMPTY && keys[slot] != k) {
            slot = (slot + 1) & mask;
        }
        if (keys[slot] == EMPTY) {
            keys[slot] = k;
            size++;
        }
        values[slot] += weight;
    }

    float get(long key) {
        long k = key == EMPTY ? 1L : key;
        int mask = keys.length - 1;
        int slot = (int) (k ^ (k >>> 32)) & mask;
        while (keys[slot] != EMPTY) {
            if (keys[slot] == k) {
                return values[slot];
            }
            slot = (slot + 1) & mask;
        }
        return 0f;
    }

    int size() {
        return size;
    }

    double total() {
        double sum = 0;
        for (int i = 0; i < keys.length; i++) {
            sum += keys[i] == EMPTY ? 0 : values[i];
        }
        return sum;
    }

    private void grow() {
        long[] oldKeys = keys;
        float[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new float[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                add(oldKeys[i], oldValues[i]);
            }
        }
    }

    void write(DataOutputStream out) throws IOException {
        out.writeInt(size);
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                out.writeLong(keys[i]);
                out.writeFloat(values[i]);
            }
        }
    }

    static TransitionCounts read(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            throw new IOException("a transition table of " + n + " entries");
        }
        int capacity = 1 << 16;
        while (capacity * 6L < (n + 1) * 10L) {
            capacity <<= 1;
        }
        TransitionCounts counts = new TransitionCounts(capacity);
        for (int i = 0; i < n; i++) {
            counts.add(in.readLong(), in.readFloat());
        }
        return counts;
    }
}
