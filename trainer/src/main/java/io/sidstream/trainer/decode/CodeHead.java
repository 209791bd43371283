package io.sidstream.trainer.decode;

import ai.djl.nn.Parameter;
import io.sidstream.trainer.model.ModelConfig;
import io.sidstream.trainer.model.SidRecBlock;
import io.sidstream.trainer.model.SidRecModel;
import io.sidstream.trainer.model.TokenLayout;

/**
 * The model's code head ({@link SidRecBlock#stepLogits} followed by a log-softmax, next-item horizon) in plain Java,
 * over a copy of its parameters taken once.
 *
 * <p>Why: a serving request decodes a handful of beams, and through the engine each SID step is a chain of ~20 tiny
 * tensor calls whose fixed cost (JNI, dispatch, an array per result) is most of the request; the same arithmetic over
 * a few dozen rows takes a fraction of that in loops the JIT vectorises (every inner loop runs over a contiguous
 * {@code float[]}). From a few dozen rows on the engine's batched matrix products win, which is why
 * {@link ConstrainedBeamSearch} only uses this head up to {@link #MAX_ROWS} rows per step.
 *
 * <p>A snapshot: it never sees later changes to the model's parameters. Take it from a model that no longer trains (a
 * loaded serving checkpoint); a search over a model being trained must use the engine's head.
 */
public final class CodeHead {

    /**
     * Rows per decoding step up to which the Java head is used. Measured (CPU time of the four steps, one thread per
     * operation, 2 shared cores): 20 rows 0.6 ms in Java vs 1.3 ms through the engine, 40 rows 1.06 vs 1.19 ms, 100
     * rows 2.75 vs 1.8 ms. The engine pays ~1 ms of calls per request and little per row (vectorised exp and GELU,
     * MKL's matrix products); the Java head ~7 µs per row and step. A beam of 10 over the novelty mix's two groups is
     * 20 rows.
     */
    public static final int MAX_ROWS = 32;

    private final int d;
    private final int sidLength;
    private final int[] vocabulary;
    /** Per step: the step embedding row (next-item horizon). */
    private final float[][] stepRows;
    /** Per step: the token embedding rows of that step's codes, {@code code * d}. */
    private final float[][] codeRows;
    private final float[] gamma;
    private final float[] beta;
    /** {@code (d, d)}, input index first, as rows. */
    private final float[][] headWeight;
    private final float[] headBias;
    /** Per step: {@code (d, V)}, input index first, as rows. */
    private final float[][][] outWeights;
    private final float[][] outBiases;

    private CodeHead(SidRecModel model) {
        ModelConfig config = model.config();
        TokenLayout layout = model.layout();
        d = config.dModel();
        sidLength = config.sidLength();
        vocabulary = new int[sidLength];
        stepRows = new float[sidLength][];
        codeRows = new float[sidLength][];
        outWeights = new float[sidLength][][];
        outBiases = new float[sidLength][];
        float[] steps = values(model, "step_embedding");
        float[] tokens = values(model, "token_embedding");
        for (int step = 0; step < sidLength; step++) {
            int v = config.stepVocabulary(step);
            vocabulary[step] = v;
            stepRows[step] = java.util.Arrays.copyOfRange(steps, step * d, (step + 1) * d);
            codeRows[step] = new float[v * d];
            for (int code = 0; code < v; code++) {
                System.arraycopy(tokens, layout.sidToken(step, code) * d, codeRows[step], code * d, d);
            }
            outWeights[step] = Kernels.rows(values(model, "out_w_" + step), v);
            outBiases[step] = values(model, "out_b_" + step);
        }
        gamma = values(model, "head_ln_gamma");
        beta = values(model, "head_ln_beta");
        headWeight = Kernels.rows(values(model, "head_w"), d);
        headBias = values(model, "head_b");
    }

    /** A copy of {@code model}'s head parameters as they are now. */
    public static CodeHead snapshot(SidRecModel model) {
        return new CodeHead(model);
    }

    static float[] values(SidRecModel model, String name) {
        Parameter parameter = model.block().getParameters().get(name);
        if (parameter == null) {
            throw new IllegalStateException("the model has no parameter " + name + " for the Java code head");
        }
        return parameter.getArray().toFloatArray();
    }

    public int dModel() {
        return d;
    }

    /**
     * Log-probabilities of step {@code step} for every row, {@code (rows, V)} row-major: row {@code r} continues the
     * state {@code stateOf[r]} of {@code states} ({@code (queries, d)} row-major) after the codes
     * {@code codes[r][0 .. step-1]}.
     */
    public float[] logProbs(float[] states, int[] stateOf, int[][] codes, int step) {
        int rows = stateOf.length;
        int v = vocabulary[step];
        float[] out = new float[rows * v];
        float[] z = new float[d];
        float[] hidden = new float[d];
        float[] stepRow = stepRows[step];
        float[][] outWeight = outWeights[step];
        float[] logits = new float[v];
        float[] outBias = outBiases[step];
        for (int r = 0; r < rows; r++) {
            int state = stateOf[r] * d;
            for (int i = 0; i < d; i++) {
                z[i] = states[state + i] + stepRow[i];
            }
            for (int p = 0; p < step; p++) {
                float[] table = codeRows[p];
                int row = codes[r][p] * d;
                for (int i = 0; i < d; i++) {
                    z[i] += table[row + i];
                }
            }
            Kernels.layerNorm(z, 0, gamma, beta);
            System.arraycopy(headBias, 0, hidden, 0, d);
            Kernels.multiplyAdd(z, 0, headWeight, hidden);
            Kernels.gelu(hidden, 0, d);
            System.arraycopy(outBias, 0, logits, 0, v);
            Kernels.multiplyAdd(hidden, 0, outWeight, logits);
            int base = r * v;
            System.arraycopy(logits, 0, out, base, v);
            Kernels.logSoftmax(out, base, v);
        }
        return out;
    }
}
