package io.sidstream.tokenizer.sid;

import java.util.Arrays;

/**
 * Residual quantizer: L levels of K codes over D-dimensional embeddings. Level 0 picks the code nearest (squared
 * Euclidean) to the embedding, every next level the code nearest to what the previous levels left over. Each code's
 * distance can carry an offset learned in training (a price that keeps popular codes from taking every item, see
 * {@code ResidualKMeans}). Ties go to the lowest code, so quantizing is deterministic.
 *
 * <p>Per level, scores {@code |c|^2 - 2 x.c} are accumulated dimension by dimension over a code-major transposed
 * copy of the centroids ({@code ct[d*K + k]}): the inner loop over codes is a plain {@code s[k] += a * ct[...]}
 * that C2 turns into SIMD instructions, with no floating-point reduction in the way. That measured faster for
 * one embedding at a time than a DJL NDArray call per embedding (see {@code bench quantize}).
 *
 * <p>Immutable and thread-safe; {@link #quantize(float[], int[], Scratch)} lets a hot loop reuse its buffers.
 */
public final class ResidualQuantizer {

    private final int levels;
    private final int codes;
    private final int dim;
    /** Per level, centroids row-major: {@code [k*D + d]}. */
    private final float[][] centroids;
    /** Per level, centroids transposed: {@code [d*K + k]}. */
    private final float[][] transposed;
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
            throw new IllegalArgumentException("level 0 has " + centroids[0].length + " floats, not a multiple of dim " + dim);
        }
        this.codes = centroids[0].length / dim;
        this.centroids = new float[levels][];
        this.transposed = new float[levels][];
        this.norms = new float[levels][];
        this.offsets = new float[levels][];
        if (offsets != null && offsets.length != levels) {
            throw new IllegalArgumentException("offsets for " + offsets.length + " levels, centroids for " + levels);
        }
        for (int l = 0; l < levels; l++) {
            if (centroids[l].length != codes * dim) {
                throw new IllegalArgumentException("level " + l + " has " + centroids[l].length + " floats, expected "
                        + codes + " x " + dim);
            }
            float[] c = centroids[l].clone();
            float[] t = new float[codes * dim];
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
                    t[d * codes + k] = v;
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
            throw new IllegalArgumentException("embedding has " + embedding.length + " dimensions, codebook wants " + dim);
        }
        float[] r = scratch.residual;
        float[] s = scratch.scores;
        System.arraycopy(embedding, 0, r, 0, dim);
        final int k = codes;
        for (int l = 0; l < levels; l++) {
            float[] t = transposed[l];
            System.arraycopy(norms[l], 0, s, 0, k);
            int x = 0;
            // four dimensions per pass over the scores: a quarter of the loads and stores of s[]
            for (; x + 3 < dim; x += 4) {
                float a0 = -2f * r[x];
                float a1 = -2f * r[x + 1];
                float a2 = -2f * r[x + 2];
                float a3 = -2f * r[x + 3];
                int b0 = x * k;
                int b1 = b0 + k;
                int b2 = b1 + k;
                int b3 = b2 + k;
                for (int j = 0; j < k; j++) {
                    s[j] += a0 * t[b0 + j] + a1 * t[b1 + j] + a2 * t[b2 + j] + a3 * t[b3 + j];
                }
            }
            for (; x < dim; x++) {
                float a = -2f * r[x];
                int base = x * k;
                for (int j = 0; j < k; j++) {
                    s[j] += a * t[base + j];
                }
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

    /** Quantizes a batch (one thread); {@code result[i]} is embedding i's prefix. */
    public int[][] quantizeAll(float[][] embeddings) {
        int[][] out = new int[embeddings.length][levels];
        Scratch scratch = new Scratch(this);
        for (int i = 0; i < embeddings.length; i++) {
            quantize(embeddings[i], out[i], scratch);
        }
        return out;
    }

    /** The sum of the chosen centroids: what the SID prefix reconstructs. */
    public float[] reconstruct(int[] prefix) {
        if (prefix.length != levels) {
            throw new IllegalArgumentException("prefix has " + prefix.length + " codes, quantizer has " + levels + " levels");
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
