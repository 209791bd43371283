package io.sidstream.tokenizer.sid;

import java.util.Arrays;

/**
 * Residual quantizer: L levels of K codes over D-dimensional embeddings. Level 0 picks the code nearest (squared
 * Euclidean) to the embedding, every next level the code nearest to what the previous levels left over. Each code's
 * distance can carry an offset learned in training (a price that keeps popular codes from taking every item, see
 * {@code ResidualKMeans}). Ties go to the lowest code, so quantizing is deterministic.
 *
 * <p>Per level, scores {@code |c|^2 - 2 x.c} are accumulated dimension by dimension over a transposed copy of the
 * centroids (one row of K per dimension): the inner loop over codes is a plain {@code s[k] += a * ct[d][k]} that C2
 * turns into SIMD instructions, with no floating-point reduction in the way. That measured faster for one embedding
 * at a time than a DJL NDArray call per embedding (see {@code bench quantize}).
 *
 * <p>Immutable and thread-safe; {@link #quantize(float[], int[], Scratch)} lets a hot loop reuse its buffers, and
 * {@link #quantize(float[][], int, int[][], BatchScratch)} quantizes many embeddings per pass over the centroids
 * (about twice as fast, the same codes).
 */
public final class ResidualQuantizer {

    private final int levels;
    private final int codes;
    private final int dim;
    /** Per level, centroids row-major: {@code [k*D + d]}. */
    private final float[][] centroids;
    /**
     * Per level, centroids transposed, one row per dimension: {@code [d][k]}. Separate rows, not one {@code [d*K + k]}
     * array: C2 (JDK 17) only vectorised the scoring loop once every array in it is indexed by the bare loop counter.
     */
    private final float[][][] transposed;
    /** Per level, the balancing offset of every code (0 when trained without balancing). */
    private final float[][] offsets;
    /** Per level, squared norm plus offset of every centroid: where each code's score starts. */
    private final float[][] norms;

    /**
     * @param centroids per level, K x D centroids row-major ({@code centroids[l][k*dim + d]})
     */
    public ResidualQuantizer(int dim, float[][] centroids) {
        this(dim, centroids, null);
    }

    /**
     * @param centroids per level, K x D centroids row-major ({@code centroids[l][k*dim + d]})
     * @param offsets   per level, K offsets added to each code's squared distance (the prices a balanced training
     *                  learned so that codes share the items evenly); null for none
     */
    public ResidualQuantizer(int dim, float[][] centroids, float[][] offsets) {
        if (dim < 1 || centroids.length < 1) {
            throw new IllegalArgumentException("need dim >= 1 and at least one level");
        }
        this.dim = dim;
        this.levels = centroids.length;
        if (centroids[0].length % dim != 0 || centroids[0].length == 0) {
            throw new IllegalArgumentException(
                    "level 0 has " + centroids[0].length + " floats, not a multiple of dim " + dim);
        }
        this.codes = centroids[0].length / dim;
        this.centroids = new float[levels][];
        this.transposed = new float[levels][][];
        this.norms = new float[levels][];
        this.offsets = new float[levels][];
        if (offsets != null && offsets.length != levels) {
            throw new IllegalArgumentException("offsets for " + offsets.length + " levels, centroids for " + levels);
        }
        for (int l = 0; l < levels; l++) {
            if (centroids[l].length != codes * dim) {
                throw new IllegalArgumentException(
                        "level " + l + " has " + centroids[l].length + " floats, expected " + codes + " x " + dim);
            }
            float[] c = centroids[l].clone();
            float[][] t = new float[dim][codes];
            float[] n = new float[codes];
            float[] o = offsets == null ? new float[codes] : offsets[l].clone();
            if (o.length != codes) {
                throw new IllegalArgumentException("level " + l + " has " + o.length + " offsets, expected " + codes);
            }
            for (int k = 0; k < codes; k++) {
                float sum = 0;
                for (int d = 0; d < dim; d++) {
                    float v = c[k * dim + d];
                    if (!Float.isFinite(v)) {
                        throw new IllegalArgumentException("level " + l + " code " + k + " has a non-finite value");
                    }
                    t[d][k] = v;
                    sum += v * v;
                }
                if (!Float.isFinite(o[k])) {
                    throw new IllegalArgumentException("level " + l + " code " + k + " has a non-finite offset");
                }
                n[k] = sum + o[k];
            }
            this.centroids[l] = c;
            this.transposed[l] = t;
            this.norms[l] = n;
            this.offsets[l] = o;
        }
    }

    public int levels() {
        return levels;
    }

    public int codesPerLevel() {
        return codes;
    }

    public int dim() {
        return dim;
    }

    /** A copy of one level's centroids, K x D row-major. */
    public float[] centroids(int level) {
        return centroids[level].clone();
    }

    /** A copy of one level's balancing offsets (K). */
    public float[] offsets(int level) {
        return offsets[level].clone();
    }

    /** The nearest code per level: the SID prefix of this embedding. */
    public int[] quantize(float[] embedding) {
        int[] out = new int[levels];
        quantize(embedding, out, new Scratch(this));
        return out;
    }

    /** Quantizes into {@code out} (length L) reusing {@code scratch}; returns the squared reconstruction error. */
    public float quantize(float[] embedding, int[] out, Scratch scratch) {
        if (embedding.length != dim) {
            throw new IllegalArgumentException(
                    "embedding has " + embedding.length + " dimensions, codebook wants " + dim);
        }
        float[] r = scratch.residual;
        float[] s = scratch.scores;
        System.arraycopy(embedding, 0, r, 0, dim);
        final int k = codes;
        for (int l = 0; l < levels; l++) {
            float[][] t = transposed[l];
            System.arraycopy(norms[l], 0, s, 0, k);
            int x = 0;
            // four dimensions per pass over the scores: a quarter of the loads and stores of s[]
            for (; x + 3 < dim; x += 4) {
                float a0 = -2f * r[x];
                float a1 = -2f * r[x + 1];
                float a2 = -2f * r[x + 2];
                float a3 = -2f * r[x + 3];
                accumulate(s, a0, t[x], a1, t[x + 1], a2, t[x + 2], a3, t[x + 3], k);
            }
            for (; x < dim; x++) {
                accumulate(s, -2f * r[x], t[x], k);
            }
            int best = 0;
            float bestScore = s[0];
            for (int j = 1; j < k; j++) {
                if (s[j] < bestScore) {
                    bestScore = s[j];
                    best = j;
                }
            }
            out[l] = best;
            float[] c = centroids[l];
            int off = best * dim;
            for (int d = 0; d < dim; d++) {
                r[d] -= c[off + d];
            }
        }
        float err = 0;
        for (int d = 0; d < dim; d++) {
            err += r[d] * r[d];
        }
        return err;
    }

    /** Quantizes a batch (one thread, the batched path); {@code result[i]} is embedding i's prefix. */
    public int[][] quantizeAll(float[][] embeddings) {
        int[][] out = new int[embeddings.length][levels];
        quantize(embeddings, embeddings.length, out, new BatchScratch(this, BatchScratch.DEFAULT_CAPACITY));
        return out;
    }

    /**
     * Quantizes {@code embeddings[0..count)} into {@code out[i]} (each of length L), {@code scratch.capacity()} of them
     * per pass over the centroids. The codes are bit for bit those of {@link #quantize(float[], int[], Scratch)}: every
     * score is the same float expression in the same order, only the loops around it are exchanged.
     *
     * <p>Why: the single-embedding loop reads all L x K x D centroids (1.2 MB at 3 x 256 x 384, more than a core's
     * L2) for every embedding. Here each block of four centroid rows (4 KB) is read once from L3 and then used
     * from L1 for every embedding of the batch, whose scores (capacity x K floats) also stay in L1.
     */
    public void quantize(float[][] embeddings, int count, int[][] out, BatchScratch scratch) {
        if (count > embeddings.length || count > out.length) {
            throw new IllegalArgumentException(
                    count + " embeddings asked for, " + embeddings.length + " given, room for " + out.length);
        }
        for (int i = 0; i < count; i++) {
            if (embeddings[i].length != dim) {
                throw new IllegalArgumentException(
                        "embedding " + i + " has " + embeddings[i].length + " dimensions, codebook wants " + dim);
            }
            if (out[i].length != levels) {
                throw new IllegalArgumentException(
                        "out[" + i + "] has room for " + out[i].length + " codes, not " + levels);
            }
        }
        for (int from = 0; from < count; from += scratch.capacity) {
            quantizeChunk(embeddings, from, Math.min(scratch.capacity, count - from), out, scratch);
        }
    }

    private void quantizeChunk(float[][] embeddings, int from, int n, int[][] out, BatchScratch scratch) {
        final int k = codes;
        float[][] r = scratch.residuals;
        float[][] s = scratch.scores;
        for (int b = 0; b < n; b++) {
            System.arraycopy(embeddings[from + b], 0, r[b], 0, dim);
        }
        for (int l = 0; l < levels; l++) {
            float[][] t = transposed[l];
            for (int b = 0; b < n; b++) {
                System.arraycopy(norms[l], 0, s[b], 0, k);
            }
            int x = 0;
            for (; x + 3 < dim; x += 4) {
                float[] t0 = t[x];
                float[] t1 = t[x + 1];
                float[] t2 = t[x + 2];
                float[] t3 = t[x + 3];
                int b = 0;
                for (; b + 1 < n; b += 2) {
                    float[] p = r[b];
                    float[] q = r[b + 1];
                    accumulate(
                            s[b],
                            s[b + 1],
                            -2f * p[x],
                            -2f * p[x + 1],
                            -2f * p[x + 2],
                            -2f * p[x + 3],
                            -2f * q[x],
                            -2f * q[x + 1],
                            -2f * q[x + 2],
                            -2f * q[x + 3],
                            t0,
                            t1,
                            t2,
                            t3,
                            k);
                }
                if (b < n) {
                    float[] rb = r[b];
                    accumulate(s[b], -2f * rb[x], t0, -2f * rb[x + 1], t1, -2f * rb[x + 2], t2, -2f * rb[x + 3], t3, k);
                }
            }
            for (; x < dim; x++) {
                for (int b = 0; b < n; b++) {
                    accumulate(s[b], -2f * r[b][x], t[x], k);
                }
            }
            float[] c = centroids[l];
            for (int b = 0; b < n; b++) {
                float[] sb = s[b];
                int best = 0;
                float bestScore = sb[0];
                for (int j = 1; j < k; j++) {
                    if (sb[j] < bestScore) {
                        bestScore = sb[j];
                        best = j;
                    }
                }
                out[from + b][l] = best;
                float[] rb = r[b];
                int off = best * dim;
                for (int d = 0; d < dim; d++) {
                    rb[d] -= c[off + d];
                }
            }
        }
    }

    /** {@code s[j] += a0 t0[j] + a1 t1[j] + a2 t2[j] + a3 t3[j]}: the one expression both paths use, so they agree to the bit. */
    private static void accumulate(
            float[] s, float a0, float[] t0, float a1, float[] t1, float a2, float[] t2, float a3, float[] t3, int k) {
        for (int j = 0; j < k; j++) {
            s[j] += a0 * t0[j] + a1 * t1[j] + a2 * t2[j] + a3 * t3[j];
        }
    }

    /**
     * The expression above for two embeddings at once ({@code s} with {@code a*}, {@code q} with {@code c*}): each row
     * of centroids is loaded once for both, which loads were what bounded the loop (a fifth less time per embedding).
     */
    private static void accumulate(
            float[] s,
            float[] q,
            float a0,
            float a1,
            float a2,
            float a3,
            float c0,
            float c1,
            float c2,
            float c3,
            float[] t0,
            float[] t1,
            float[] t2,
            float[] t3,
            int k) {
        for (int j = 0; j < k; j++) {
            float u0 = t0[j];
            float u1 = t1[j];
            float u2 = t2[j];
            float u3 = t3[j];
            s[j] += a0 * u0 + a1 * u1 + a2 * u2 + a3 * u3;
            q[j] += c0 * u0 + c1 * u1 + c2 * u2 + c3 * u3;
        }
    }

    private static void accumulate(float[] s, float a, float[] t, int k) {
        for (int j = 0; j < k; j++) {
            s[j] += a * t[j];
        }
    }

    /** The sum of the chosen centroids: what the SID prefix reconstructs. */
    public float[] reconstruct(int[] prefix) {
        if (prefix.length != levels) {
            throw new IllegalArgumentException(
                    "prefix has " + prefix.length + " codes, quantizer has " + levels + " levels");
        }
        float[] x = new float[dim];
        for (int l = 0; l < levels; l++) {
            int off = prefix[l] * dim;
            for (int d = 0; d < dim; d++) {
                x[d] += centroids[l][off + d];
            }
        }
        return x;
    }

    @Override
    public String toString() {
        return "ResidualQuantizer[levels=" + levels + ", codes=" + codes + ", dim=" + dim + "]";
    }

    /** Buffers of the batched path, reused by one thread across calls. */
    public static final class BatchScratch {
        /** 16 x 256 scores are 16 KB: with a 4 KB block of centroids they fit a 32 KB L1 data cache. */
        public static final int DEFAULT_CAPACITY = 16;

        final int capacity;
        final float[][] residuals;
        final float[][] scores;

        public BatchScratch(ResidualQuantizer quantizer, int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("batch capacity must be at least 1, not " + capacity);
            }
            this.capacity = capacity;
            this.residuals = new float[capacity][quantizer.dim];
            this.scores = new float[capacity][quantizer.codes];
        }

        /** Embeddings per pass over the centroids. */
        public int capacity() {
            return capacity;
        }
    }

    /** Buffers one thread reuses across calls. */
    public static final class Scratch {
        final float[] residual;
        final float[] scores;

        public Scratch(ResidualQuantizer quantizer) {
            this.residual = new float[quantizer.dim];
            this.scores = new float[quantizer.codes];
        }

        /** What the last call left over after every level. */
        public float[] residual() {
            return Arrays.copyOf(residual, residual.length);
        }
    }
}
