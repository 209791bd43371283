package io.sidstream.model.decode;

import io.sidstream.model.block.ParameterNames;
import io.sidstream.model.block.SidRecBlock;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.block.WideFeatures;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.model.config.TokenLayout;

/**
 * The model's code head ({@link SidRecBlock#stepLogits} followed by a log-softmax, next-item horizon) in plain Java,
 * over a copy of its parameters taken once.
 *
 * <p>Why: a serving request decodes a handful of beams, and through the engine each SID step is a chain of ~20 tiny
 * tensor calls whose fixed cost (JNI, dispatch, an array per result) is most of the request; the same arithmetic over
 * a few dozen rows takes a fraction of that in loops the JIT vectorises (every inner loop runs over a contiguous
 * {@code float[]}). From a few dozen rows on the engine's batched matrix products win where every code is scored,
 * which is why {@link ConstrainedBeamSearch} only uses this head up to {@link #MAX_ROWS} rows per step (or
 * {@link #MAX_RENORMALISED_ROWS} where only the codes a trie node allows are scored).
 *
 * <p>A snapshot: it never sees later changes to the model's parameters. Take it from a model that no longer trains (a
 * loaded serving checkpoint); a search over a model being trained must use the engine's head.
 */
public final class CodeHead {

    /**
     * Rows per decoding step up to which the Java head is used when it computes every code's log-probability (a single
     * trie). Measured (CPU time of the four steps, one thread per operation, 2 shared cores): 20 rows 0.6 ms in Java
     * vs 1.3 ms through the engine, 40 rows 1.06 vs 1.19 ms, 100 rows 2.75 vs 1.8 ms. The engine pays ~1 ms of calls
     * per request and little per row (vectorised exp, MKL's matrix products); the Java head ~7 µs per row and step.
     */
    public static final int MAX_ROWS = 32;

    /**
     * The same when the search renormalises over the codes each trie node allows (the novelty mix), where the Java
     * head only scores those: one query at beam 50 (100 rows) 1.2 ms of CPU for the whole decode against 2.8 ms with
     * the engine's head, at beam 100 (200 rows) 2.2 ms against 4.8 ms through the engine. Covers serving's widest
     * beam (100).
     */
    public static final int MAX_RENORMALISED_ROWS = 256;

    private final int d;
    /** Hidden width of the head. */
    private final int width;

    private final int sidLength;
    private final int[] vocabulary;
    /** Per step: the step embedding row (next-item horizon). */
    private final float[][] stepRows;
    /** Per step: the token embedding rows of that step's codes, {@code code * d}. */
    private final float[][] codeRows;

    private final float[] gamma;
    private final float[] beta;
    /** {@code (d, width)}, input index first, as rows. */
    private final float[][] headWeight;

    private final float[] headBias;
    /** Per step: {@code (width, V)}, input index first, as rows. */
    private final float[][][] outWeights;
    /** Per step: the same transposed, a code's weights as one row, for scoring a few codes alone. */
    private final float[][][] outColumns;

    private final float[][] outBiases;
    /** The cluster head (null without one): projection {@code (width, c)} as rows, per first code {@code (c, V1)}. */
    private final float[][] clusterProjection;

    private final float[][][] clusterWeights;
    private final float[][][] clusterColumns;
    private final float[][] clusterBiases;
    /** The wide part's weights (null without one), and its shape. */
    private final float[] wide;

    private final int wideBuckets;

    private CodeHead(SidRecModel model) {
        ModelConfig config = model.config();
        TokenLayout layout = model.layout();
        d = config.dModel();
        width = config.headWidth();
        sidLength = config.sidLength();
        vocabulary = new int[sidLength];
        stepRows = new float[sidLength][];
        codeRows = new float[sidLength][];
        outWeights = new float[sidLength][][];
        outColumns = new float[sidLength][][];
        outBiases = new float[sidLength][];
        float[] steps = ModelSnapshot.parameter(model, ParameterNames.STEP_EMBEDDING);
        float[] tokens = ModelSnapshot.parameter(model, ParameterNames.TOKEN_EMBEDDING);
        for (int step = 0; step < sidLength; step++) {
            int v = config.stepVocabulary(step);
            vocabulary[step] = v;
            stepRows[step] = java.util.Arrays.copyOfRange(steps, step * d, (step + 1) * d);
            codeRows[step] = new float[v * d];
            for (int code = 0; code < v; code++) {
                System.arraycopy(tokens, layout.sidToken(step, code) * d, codeRows[step], code * d, d);
            }
            outWeights[step] = Kernels.rows(ModelSnapshot.parameter(model, ParameterNames.outWeight(step)), v);
            outColumns[step] = new float[v][width];
            for (int i = 0; i < width; i++) {
                for (int code = 0; code < v; code++) {
                    outColumns[step][code][i] = outWeights[step][i][code];
                }
            }
            outBiases[step] = ModelSnapshot.parameter(model, ParameterNames.outBias(step));
        }
        gamma = ModelSnapshot.parameter(model, ParameterNames.HEAD_LN_GAMMA);
        beta = ModelSnapshot.parameter(model, ParameterNames.HEAD_LN_BETA);
        headWeight = Kernels.rows(ModelSnapshot.parameter(model, ParameterNames.HEAD_WEIGHT), width);
        headBias = ModelSnapshot.parameter(model, ParameterNames.HEAD_BIAS);
        int c = config.clusterHeadDim();
        if (c > 0) {
            int clusters = config.stepVocabulary(0);
            int v = config.stepVocabulary(1);
            clusterProjection = Kernels.rows(ModelSnapshot.parameter(model, ParameterNames.CLUSTER_PROJECTION), c);
            float[] weights = ModelSnapshot.parameter(model, ParameterNames.CLUSTER_WEIGHTS);
            float[] biases = ModelSnapshot.parameter(model, ParameterNames.CLUSTER_BIASES);
            clusterWeights = new float[clusters][][];
            clusterColumns = new float[clusters][v][c];
            clusterBiases = new float[clusters][];
            for (int k = 0; k < clusters; k++) {
                clusterWeights[k] = Kernels.rows(java.util.Arrays.copyOfRange(weights, k * c * v, (k + 1) * c * v), v);
                for (int i = 0; i < c; i++) {
                    for (int code = 0; code < v; code++) {
                        clusterColumns[k][code][i] = clusterWeights[k][i][code];
                    }
                }
                clusterBiases[k] = java.util.Arrays.copyOfRange(biases, k * v, (k + 1) * v);
            }
        } else {
            clusterProjection = null;
            clusterWeights = null;
            clusterColumns = null;
            clusterBiases = null;
        }
        wideBuckets = config.wideBuckets();
        wide = wideBuckets > 0 ? ModelSnapshot.parameter(model, ParameterNames.WIDE_WEIGHTS) : null;
    }

    /** A copy of {@code model}'s head parameters as they are now. */
    public static CodeHead snapshot(SidRecModel model) {
        return new CodeHead(model);
    }

    public int dModel() {
        return d;
    }

    /**
     * Log-probabilities of step {@code step} for every row, {@code (rows, V)} row-major: row {@code r} continues the
     * state {@code stateOf[r]} of {@code states} ({@code (queries, d)} row-major) after the codes
     * {@code codes[r][0 .. step-1]}. With {@code allowed}, each row's are renormalised over the codes
     * {@code allowed[r]} and only those entries are computed (the others are left 0): what the novelty mix's search
     * reads, where after the first levels a trie node allows a handful of codes out of hundreds.
     */
    public float[] logProbs(float[] states, int[] stateOf, int[][] codes, int[][] allowed, int step) {
        return logProbs(states, stateOf, codes, allowed, step, null);
    }

    /**
     * The same, adding the wide part's weights of the allowed codes from the wide keys of each state's recent videos
     * ({@code recent}; null for a model without a wide part, which needs {@code allowed}). The transition prior is
     * added by the search, over the log-probabilities (ConstrainedBeamSearch).
     */
    public float[] logProbs(
            float[] states, int[] stateOf, int[][] codes, int[][] allowed, int step, RecentKeys recent) {
        int rows = stateOf.length;
        int v = vocabulary[step];
        float[] out = new float[rows * v];
        float[] z = new float[d];
        float[] hidden = new float[width];
        float[] logits = new float[v];
        boolean cluster = step == 1 && clusterProjection != null;
        float[] query = cluster ? new float[clusterProjection[0].length] : null;
        for (int r = 0; r < rows; r++) {
            int[] codesAllowed = allowed == null ? null : allowed[r];
            if (codesAllowed != null && codesAllowed.length == 0) {
                continue;
            }
            hidden(states, stateOf[r] * d, codes[r], step, z, hidden);
            if (cluster) {
                java.util.Arrays.fill(query, 0f);
                Kernels.multiplyAdd(hidden, 0, clusterProjection, query);
            }
            int base = r * v;
            if (codesAllowed == null) {
                System.arraycopy(outBiases[step], 0, logits, 0, v);
                Kernels.multiplyAdd(hidden, 0, outWeights[step], logits);
                if (cluster) {
                    int k = codes[r][0];
                    float[] bias = clusterBiases[k];
                    for (int code = 0; code < v; code++) {
                        logits[code] += bias[code];
                    }
                    Kernels.multiplyAdd(query, 0, clusterWeights[k], logits);
                }
                System.arraycopy(logits, 0, out, base, v);
                Kernels.logSoftmax(out, base, v);
            } else {
                scoreAllowed(hidden, step, codesAllowed, logits);
                if (cluster) {
                    addClusterAllowed(query, codes[r][0], codesAllowed, logits);
                }
                if (wide != null && recent != null && step >= WideFeatures.FROM_STEP) {
                    addWide(recent.wide()[stateOf[r]], codes[r], step, codesAllowed, logits);
                }
                renormalised(logits, codesAllowed, out, base);
            }
        }
        return out;
    }

    /** Log-probabilities of every code of {@code step} for every row; {@link #logProbs} without a restriction. */
    public float[] logProbs(float[] states, int[] stateOf, int[][] codes, int step) {
        return logProbs(states, stateOf, codes, null, step);
    }

    /** The head's hidden layer for one row: GELU(LN(state + step row + decoded prefix) W + b). */
    private void hidden(float[] states, int state, int[] codes, int step, float[] z, float[] hidden) {
        float[] stepRow = stepRows[step];
        for (int i = 0; i < d; i++) {
            z[i] = states[state + i] + stepRow[i];
        }
        for (int p = 0; p < step; p++) {
            float[] table = codeRows[p];
            int row = codes[p] * d;
            for (int i = 0; i < d; i++) {
                z[i] += table[row + i];
            }
        }
        Kernels.layerNorm(z, 0, gamma, beta);
        System.arraycopy(headBias, 0, hidden, 0, width);
        Kernels.multiplyAdd(z, 0, headWeight, hidden);
        Kernels.gelu(hidden, 0, width);
    }

    /**
     * The logits of the {@code allowed} codes into {@code logits}: one dot product each when they are few, the whole
     * matrix-vector product (cheaper per code) when they are many.
     */
    private void scoreAllowed(float[] hidden, int step, int[] allowed, float[] logits) {
        float[] bias = outBiases[step];
        if (allowed.length * 8 > vocabulary[step]) {
            System.arraycopy(bias, 0, logits, 0, vocabulary[step]);
            Kernels.multiplyAdd(hidden, 0, outWeights[step], logits);
            return;
        }
        for (int code : allowed) {
            float[] column = outColumns[step][code];
            float dot = 0;
            for (int i = 0; i < width; i++) {
                dot += hidden[i] * column[i];
            }
            logits[code] = bias[code] + dot;
        }
    }

    /** Adds the wide part's weight of each allowed code, one per recent video. */
    private void addWide(long[] recentKeys, int[] codes, int step, int[] allowed, float[] logits) {
        for (long key : recentKeys) {
            long node = WideFeatures.nodeKey(key, step, codes);
            for (int code : allowed) {
                logits[code] += wide[WideFeatures.bucket(node, code, wideBuckets)];
            }
        }
    }

    /** Adds the cluster head's logits of the {@code allowed} second codes under first code {@code cluster}. */
    private void addClusterAllowed(float[] query, int cluster, int[] allowed, float[] logits) {
        float[] bias = clusterBiases[cluster];
        float[][] columns = clusterColumns[cluster];
        for (int code : allowed) {
            float[] column = columns[code];
            float dot = 0;
            for (int i = 0; i < query.length; i++) {
                dot += query[i] * column[i];
            }
            logits[code] += bias[code] + dot;
        }
    }

    /** {@code out[base + code] = logit - log(sum of exp over allowed)} for the allowed codes. */
    private static void renormalised(float[] logits, int[] allowed, float[] out, int base) {
        float max = Float.NEGATIVE_INFINITY;
        for (int code : allowed) {
            max = Math.max(max, logits[code]);
        }
        double sum = 0;
        for (int code : allowed) {
            sum += Math.exp(logits[code] - max);
        }
        float logMass = (float) (max + Math.log(sum));
        for (int code : allowed) {
            out[base + code] = logits[code] - logMass;
        }
    }
}
