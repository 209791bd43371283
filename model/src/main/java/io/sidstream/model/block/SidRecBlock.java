package io.sidstream.model.block;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.model.config.TokenLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The generative retrieval model: a pre-LayerNorm causal transformer over item positions, each position the sum of
 * the embeddings of an item's SID codes and its event features, and a small code-by-code head that decodes the next
 * item's SID one code at a time from the transformer's state at that position.
 *
 * <p>Why this split: the expensive part (the transformer) runs once per request; every decoding step and every beam
 * only runs the head on a {@code d_model} vector, so constrained beam search needs no K/V cache at all and stays cheap
 * at serving time. Training is dense: every history position predicts the item after it.
 *
 * <p>Training input ({@link #forwardInternal}): tokens {@code (B,T,S)} int32, key mask {@code (B,T)} float32, target
 * codes {@code (B,H,T,L+1)} int32 and target weights {@code (B,H,T)} float32, where {@code H} is the multi-token
 * horizon. Output: the weighted mean cross-entropy (a scalar) and the next-item part of it.
 */
public final class SidRecBlock extends AbstractBlock {

    /** The epsilon of every LayerNorm (PyTorch's default), the plain-Java path's too. */
    public static final float LAYER_NORM_EPS = 1e-5f;

    private final ModelConfig config;
    private final TokenLayout layout;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final List<Layer> layers = new ArrayList<>();
    private final Parameter finalGamma;
    private final Parameter finalBeta;
    private final Parameter stepEmbedding;
    private final Parameter headGamma;
    private final Parameter headBeta;
    private final Parameter headWeight;
    private final Parameter headBias;
    private final List<Parameter> outWeights = new ArrayList<>();
    private final List<Parameter> outBiases = new ArrayList<>();
    /** The cluster head (null without one): a projection of the head's hidden state and one output layer per first code. */
    private final Parameter clusterProjection;

    private final Parameter clusterWeights;
    private final Parameter clusterBiases;
    /**
     * The wide part (null without one): a weight per hashed feature, and a last row for "no feature". That row is added
     * alike to every candidate of a row (a recent video the history does not have) or only to codes outside the
     * softmax, so its value cancels out of every probability; Adam moves it only by the rounding of its zero gradient.
     */
    private final Parameter wideWeights;
    /** The transition prior (null without one): counted, not learned; saved with the parameters (saveMetadata). */
    private final TransitionPrior transitionPrior;

    public SidRecBlock(ModelConfig config) {
        this.config = config;
        this.layout = new TokenLayout(config);
        int d = config.dModel();
        tokenEmbedding = weight(ParameterNames.TOKEN_EMBEDDING, layout.size(), d);
        positionEmbedding = weight(ParameterNames.POSITION_EMBEDDING, config.sequenceLength(), d);
        for (int i = 0; i < config.layers(); i++) {
            layers.add(new Layer(i, d, config.ffnDim()));
        }
        finalGamma = gamma(ParameterNames.FINAL_LN_GAMMA, d);
        finalBeta = beta(ParameterNames.FINAL_LN_BETA, d);
        stepEmbedding = weight(ParameterNames.STEP_EMBEDDING, config.mtpHorizon() * config.sidLength(), d);
        headGamma = gamma(ParameterNames.HEAD_LN_GAMMA, d);
        headBeta = beta(ParameterNames.HEAD_LN_BETA, d);
        int head = config.headWidth();
        headWeight = weight(ParameterNames.HEAD_WEIGHT, d, head);
        headBias = bias(ParameterNames.HEAD_BIAS, head);
        for (int step = 0; step < config.sidLength(); step++) {
            outWeights.add(weight(ParameterNames.outWeight(step), head, config.stepVocabulary(step)));
            outBiases.add(bias(ParameterNames.outBias(step), config.stepVocabulary(step)));
        }
        if (config.clusterHeadDim() > 0) {
            int c = config.clusterHeadDim();
            clusterProjection = weight(ParameterNames.CLUSTER_PROJECTION, head, c);
            clusterWeights = weight(
                    ParameterNames.CLUSTER_WEIGHTS, config.stepVocabulary(0), (long) c * config.stepVocabulary(1));
            clusterBiases = bias2(ParameterNames.CLUSTER_BIASES, config.stepVocabulary(0), config.stepVocabulary(1));
        } else {
            clusterProjection = null;
            clusterWeights = null;
            clusterBiases = null;
        }
        // the wide part starts at 0 (biases are zero-initialised): the model starts as its deep part alone
        wideWeights =
                config.wideBuckets() > 0 ? bias2(ParameterNames.WIDE_WEIGHTS, config.wideBuckets() + 1L, 1) : null;
        transitionPrior = config.transitionPrior() ? TransitionPrior.empty(config) : null;
        setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
    }

    public ModelConfig config() {
        return config;
    }

    /** The transition prior, or null for a model without one. */
    public TransitionPrior transitionPrior() {
        return transitionPrior;
    }

    @Override
    protected void saveMetadata(java.io.DataOutputStream os) throws java.io.IOException {
        super.saveMetadata(os);
        if (transitionPrior != null) {
            transitionPrior.write(os);
        }
    }

    @Override
    protected void loadMetadata(byte loadVersion, java.io.DataInputStream is)
            throws java.io.IOException, ai.djl.MalformedModelException {
        super.loadMetadata(loadVersion, is);
        if (transitionPrior != null) {
            transitionPrior.read(is);
        }
    }

    public TokenLayout layout() {
        return layout;
    }

    /** Input shapes for {@link #initialize}: tokens, key mask, targets, weights. */
    public Shape[] trainingInputShapes(int batch) {
        int t = config.sequenceLength();
        return new Shape[] {
            new Shape(batch, t, layout.slots()),
            new Shape(batch, t),
            new Shape(batch, config.mtpHorizon(), t, config.sidLength()),
            new Shape(batch, config.mtpHorizon(), t)
        };
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray tokens = inputs.get(0);
        NDArray keyMask = inputs.get(1);
        NDArray targets = inputs.get(2);
        NDArray weights = inputs.get(3);
        NDArray hidden = encode(ps, tokens, keyMask, training);
        NDArray nextItem = inputs.size() > 4
                ? rowLoss(ps, hidden, inputs, training)
                : horizonLoss(ps, hidden, targets.get(":, 0"), weights.get(":, 0"), 0, training);
        NDArray total = nextItem;
        for (int h = 1; h < config.mtpHorizon(); h++) {
            NDArray horizonLoss = horizonLoss(ps, hidden, targets.get(":, " + h), weights.get(":, " + h), h, training);
            total = total.add(horizonLoss.mul((float) config.mtpWeight()));
        }
        return new NDList(total, nextItem);
    }

    /**
     * The next-item loss over the rows that have a target (inputs 4 and 5: their flat positions and codes), so the
     * head runs on real positions only. With {@code catalog-softmax} every step's softmax is over the row's candidate
     * codes (from input 6 on, per step: codes, mask, the target's slot and, with a wide part from
     * {@link WideFeatures#FROM_STEP} on, the candidates' weight rows, and with a transition prior, the candidates'
     * prior logits). Averaged per row.
     */
    private NDArray rowLoss(ParameterStore ps, NDArray hidden, NDList inputs, boolean training) {
        NDArray rowIndex = inputs.get(4);
        NDArray rowCodes = inputs.get(5);
        Shape shape = hidden.getShape();
        NDArray flat = hidden.reshape(shape.get(0) * shape.get(1), shape.get(2));
        NDArray rows = Embedding.embedding(rowIndex, flat, SparseFormat.DENSE).singletonOrThrow();
        long count = rowIndex.getShape().get(0);
        NDArray first = rowCodes.get(":, 0");
        NDArray prefix = null;
        NDArray loss = null;
        int next = 6;
        for (int step = 0; step < config.sidLength(); step++) {
            NDArray code = rowCodes.get(":, " + step).toType(DataType.INT64, false);
            NDArray logits = stepLogits(ps, rows, prefix, first, null, 0, step, training);
            NDArray picked;
            if (config.catalogSoftmax()) {
                NDArray candidates = inputs.get(next++).toType(DataType.INT64, false);
                NDArray mask = inputs.get(next++);
                NDArray target = inputs.get(next++).toType(DataType.INT64, false);
                NDArray scores = logits.gather(candidates, -1).add(mask);
                if (config.wideBuckets() > 0 && step >= WideFeatures.FROM_STEP) {
                    scores = scores.add(wideLogits(ps, inputs.get(next++), training));
                }
                if (transitionPrior != null) {
                    scores = scores.add(inputs.get(next++)); // the prior's logits, computed with the batch
                }
                picked = scores.logSoftmax(-1).gather(target.expandDims(-1), -1);
            } else {
                picked = logits.logSoftmax(-1).gather(code.expandDims(-1), -1);
            }
            NDArray stepLoss = picked.sum().neg();
            loss = loss == null ? stepLoss : loss.add(stepLoss);
            if (step + 1 < config.sidLength()) {
                NDArray embedded = embed(ps, code.add(layout.sidToken(step, 0)), training);
                prefix = prefix == null ? embedded : prefix.add(embedded);
            }
        }
        return loss.div(Math.max(1, count));
    }

    /**
     * The wide part's logits: for feature rows {@code (..., W, K)} (a weight row per recent video and candidate;
     * the last row where there is none), the sum over the recent videos, {@code (..., K)}. A flat {@code take}: the
     * embedding op's backward was 2-4x slower for the same lookups.
     */
    public NDArray wideLogits(ParameterStore ps, NDArray featureRows, boolean training) {
        NDArray table =
                ps.getValue(wideWeights, featureRows.getDevice(), training).reshape(-1);
        table.attach(featureRows.getManager()); // a view of a parameter would otherwise live as long as the model
        Shape shape = featureRows.getShape();
        NDArray weights = table.take(featureRows.toType(DataType.INT64, false)).reshape(shape);
        return weights.sum(new int[] {shape.dimension() - 2});
    }

    /** Cross-entropy of every SID step of the item {@code h+1} positions ahead, teacher-forced, averaged per item. */
    private NDArray horizonLoss(
            ParameterStore ps, NDArray hidden, NDArray codes, NDArray weights, int h, boolean training) {
        NDArray denominator = weights.sum().add(1e-6f);
        NDArray prefix = null;
        NDArray loss = null;
        NDArray firstCodes = codes.get(":, :, 0");
        for (int step = 0; step < config.sidLength(); step++) {
            NDArray code = codes.get(":, :, " + step);
            NDArray logits = stepLogits(ps, hidden, prefix, firstCodes, weights, h, step, training);
            NDArray logProbs = logits.logSoftmax(-1);
            NDArray picked = logProbs.gather(
                            code.toType(ai.djl.ndarray.types.DataType.INT64, false)
                                    .expandDims(-1),
                            -1)
                    .squeeze(-1);
            NDArray stepLoss = picked.mul(weights).sum().neg();
            loss = loss == null ? stepLoss : loss.add(stepLoss);
            if (step + 1 < config.sidLength()) {
                NDArray embedded = embed(ps, code.add(layout.sidToken(step, 0)), training);
                prefix = prefix == null ? embedded : prefix.add(embedded);
            }
        }
        return loss.div(denominator);
    }

    /**
     * The transformer: {@code (B,T,S)} tokens to {@code (B,T,d)} states. Position {@code T-1} is always the latest
     * item (histories are left-padded), so position embeddings count recency; a batch may be padded to fewer than
     * {@code max-history + 1} positions (its longest sequence), and then takes the last {@code T} position rows.
     */
    public NDArray encode(ParameterStore ps, NDArray tokens, NDArray keyMask, boolean training) {
        Device device = tokens.getDevice();
        long batch = tokens.getShape().get(0);
        long t = tokens.getShape().get(1);
        NDArray x = embed(ps, tokens, training).sum(new int[] {2});
        int full = config.sequenceLength();
        if (t > full || t < 1) {
            throw new IllegalArgumentException("sequences must have 1 to " + full + " positions, got " + t);
        }
        NDArray positions = ps.getValue(positionEmbedding, device, training);
        if (t != full) {
            positions = positions.get((full - t) + ":");
            positions.attach(tokens.getManager()); // a slice of a parameter would otherwise live as long as the model
        }
        x = x.add(positions);
        x = dropout(x, training);
        NDArray mask = attentionMask(tokens.getManager(), keyMask, t);
        int heads = config.heads();
        int dh = config.dModel() / heads;
        float scale = (float) (1.0 / Math.sqrt(dh));
        for (Layer layer : layers) {
            NDArray a = layerNorm(
                    x, ps.getValue(layer.ln1Gamma, device, training), ps.getValue(layer.ln1Beta, device, training));
            NDArray qkv = a.matMul(ps.getValue(layer.qkvWeight, device, training))
                    .add(ps.getValue(layer.qkvBias, device, training));
            qkv = qkv.reshape(batch, t, 3, heads, dh).transpose(2, 0, 3, 1, 4);
            NDArray q = qkv.get(0);
            NDArray k = qkv.get(1);
            NDArray v = qkv.get(2);
            NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(scale).add(mask);
            NDArray attended =
                    scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(batch, t, config.dModel());
            x = x.add(dropout(
                    attended.matMul(ps.getValue(layer.outWeight, device, training))
                            .add(ps.getValue(layer.outBias, device, training)),
                    training));
            NDArray f = layerNorm(
                    x, ps.getValue(layer.ln2Gamma, device, training), ps.getValue(layer.ln2Beta, device, training));
            f = Activation.gelu(f.matMul(ps.getValue(layer.ffnWeight1, device, training))
                    .add(ps.getValue(layer.ffnBias1, device, training)));
            x = x.add(dropout(
                    f.matMul(ps.getValue(layer.ffnWeight2, device, training))
                            .add(ps.getValue(layer.ffnBias2, device, training)),
                    training));
        }
        return layerNorm(x, ps.getValue(finalGamma, device, training), ps.getValue(finalBeta, device, training));
    }

    /**
     * Logits of SID step {@code step} for the item {@code horizon+1} positions ahead, given the transformer state and
     * the summed embeddings of the codes already decoded (null at step 0), and, for the cluster head, the first code
     * of each row (int, the leading shape of {@code hidden}; unused at step 0). Works on any leading shape.
     */
    public NDArray stepLogits(
            ParameterStore ps,
            NDArray hidden,
            NDArray decodedPrefix,
            NDArray firstCodes,
            int horizon,
            int step,
            boolean training) {
        return stepLogits(ps, hidden, decodedPrefix, firstCodes, null, horizon, step, training);
    }

    /** The same, where rows whose {@code rowMask} is 0 (padding, in training) may skip the cluster head. */
    public NDArray stepLogits(
            ParameterStore ps,
            NDArray hidden,
            NDArray decodedPrefix,
            NDArray firstCodes,
            NDArray rowMask,
            int horizon,
            int step,
            boolean training) {
        Device device = hidden.getDevice();
        NDArray row = ps.getValue(stepEmbedding, device, training).get(horizon * config.sidLength() + step);
        row.attach(hidden.getManager()); // a slice of a parameter would otherwise live as long as the model
        NDArray z = hidden.add(row);
        if (decodedPrefix != null) {
            z = z.add(decodedPrefix);
        }
        NDArray u = layerNorm(z, ps.getValue(headGamma, device, training), ps.getValue(headBeta, device, training));
        u = Activation.gelu(
                u.matMul(ps.getValue(headWeight, device, training)).add(ps.getValue(headBias, device, training)));
        NDArray logits = u.matMul(ps.getValue(outWeights.get(step), device, training))
                .add(ps.getValue(outBiases.get(step), device, training));
        if (step == 1 && clusterProjection != null) {
            logits = logits.add(clusterLogits(ps, u, firstCodes, rowMask, training));
        }
        return logits;
    }

    /**
     * The cluster head's part of the second code's logits: {@code (u P) O[c1] + b[c1]}, one output layer per first
     * code. Why: a SID's first code is a cluster of videos and its second code mostly tells the video apart inside
     * it, so an output layer of its own per cluster gives every (cluster, code) pair, in effect every video of a
     * small cluster, an output vector of its own (a class-based softmax), which a layer shared by all clusters cannot.
     *
     * <p>Rows are grouped by cluster before the product: each cluster's rows go into a bucket of its own (padded to
     * the fullest bucket), one batched product multiplies every bucket by its cluster's layer, and each row takes its
     * result back. Gathering each row's layer instead moved {@code c x V} floats per row through memory and made
     * training 3.5x slower. Rows whose {@code rowMask} is 0 (padding) get no cluster logits.
     */
    private NDArray clusterLogits(ParameterStore ps, NDArray u, NDArray firstCodes, NDArray rowMask, boolean training) {
        Device device = u.getDevice();
        NDManager manager = u.getManager();
        int c = config.clusterHeadDim();
        int clusters = config.stepVocabulary(0);
        int v = config.stepVocabulary(1);
        Shape lead = u.getShape().slice(0, u.getShape().dimension() - 1);
        int rows = (int) lead.size();
        int[] codes = firstCodes.toType(DataType.INT32, false).toIntArray();
        float[] mask =
                rowMask == null ? null : rowMask.toType(DataType.FLOAT32, false).toFloatArray();
        int[] count = new int[clusters];
        int[] slot = new int[rows];
        for (int r = 0; r < rows; r++) {
            slot[r] = mask == null || mask[r] > 0 ? count[codes[r]]++ : -1;
        }
        int width = 1;
        for (int n : count) {
            width = Math.max(width, n);
        }
        int buckets = clusters * width;
        int[] gather = new int[buckets];
        java.util.Arrays.fill(gather, rows); // the zero row appended below
        int[] scatter = new int[rows];
        for (int r = 0; r < rows; r++) {
            scatter[r] = slot[r] < 0 ? buckets : codes[r] * width + slot[r];
            if (slot[r] >= 0) {
                gather[scatter[r]] = r;
            }
        }
        NDArray q = u.reshape(rows, u.getShape().get(u.getShape().dimension() - 1))
                .matMul(ps.getValue(clusterProjection, device, training));
        NDArray padded = q.concat(manager.zeros(new Shape(1, c), q.getDataType(), device), 0);
        NDArray grouped = Embedding.embedding(
                        manager.create(gather).toDevice(device, false), padded, SparseFormat.DENSE)
                .singletonOrThrow()
                .reshape(clusters, width, c);
        // views of parameters belong to the model's manager unless attached to the batch's, and would pile up
        NDArray layers = ps.getValue(clusterWeights, device, training).reshape(clusters, c, v);
        layers.attach(manager);
        NDArray biases = ps.getValue(clusterBiases, device, training).reshape(clusters, 1, v);
        biases.attach(manager);
        NDArray perBucket = grouped.matMul(layers).add(biases).reshape(buckets, v);
        NDArray withZero = perBucket.concat(manager.zeros(new Shape(1, v), perBucket.getDataType(), device), 0);
        return Embedding.embedding(manager.create(scatter).toDevice(device, false), withZero, SparseFormat.DENSE)
                .singletonOrThrow()
                .reshape(lead.add(v));
    }

    /** Inverted dropout in training (the engine's, seeded by the engine's random seed); the identity otherwise. */
    private NDArray dropout(NDArray x, boolean training) {
        return training && config.dropout() > 0
                ? Dropout.dropout(x, (float) config.dropout(), true).singletonOrThrow()
                : x;
    }

    /** Embeddings of token ids, any shape: {@code (...)} to {@code (..., d)}. */
    public NDArray embed(ParameterStore ps, NDArray tokenIds, boolean training) {
        NDArray table = ps.getValue(tokenEmbedding, tokenIds.getDevice(), training);
        return Embedding.embedding(tokenIds, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /** Additive mask (B,1,T,T): causal, and padded keys hidden. */
    private static NDArray attentionMask(NDManager manager, NDArray keyMask, long t) {
        int n = (int) t;
        float[] lower = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                lower[i * n + j] = 1f;
            }
        }
        NDArray causal = manager.create(lower, new Shape(t, t)).toDevice(keyMask.getDevice(), false);
        long batch = keyMask.getShape().get(0);
        NDArray allowed = causal.reshape(1, 1, t, t).mul(keyMask.reshape(batch, 1, 1, t));
        return allowed.sub(1f).mul(1e9f);
    }

    private static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta) {
        return LayerNorm.layerNorm(x, new Shape(gamma.getShape().get(0)), gamma, beta, LAYER_NORM_EPS)
                .singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(), new Shape()};
    }

    private Parameter weight(String name, long... shape) {
        return addParameter(Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(shape))
                .build());
    }

    private Parameter bias(String name, long size) {
        return addParameter(Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.BIAS)
                .optShape(new Shape(size))
                .build());
    }

    /** A bias table: one row of biases per index. */
    private Parameter bias2(String name, long rows, long size) {
        return addParameter(Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.BIAS)
                .optShape(new Shape(rows, size))
                .build());
    }

    private Parameter gamma(String name, long size) {
        return addParameter(Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.GAMMA)
                .optShape(new Shape(size))
                .build());
    }

    private Parameter beta(String name, long size) {
        return addParameter(Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.BETA)
                .optShape(new Shape(size))
                .build());
    }

    /** Parameters of one transformer layer. */
    private final class Layer {
        final Parameter ln1Gamma;
        final Parameter ln1Beta;
        final Parameter qkvWeight;
        final Parameter qkvBias;
        final Parameter outWeight;
        final Parameter outBias;
        final Parameter ln2Gamma;
        final Parameter ln2Beta;
        final Parameter ffnWeight1;
        final Parameter ffnBias1;
        final Parameter ffnWeight2;
        final Parameter ffnBias2;

        Layer(int index, int d, int ffn) {
            String p = ParameterNames.layer(index);
            ln1Gamma = gamma(p + ParameterNames.LN1_GAMMA, d);
            ln1Beta = beta(p + ParameterNames.LN1_BETA, d);
            qkvWeight = weight(p + ParameterNames.QKV_WEIGHT, d, 3L * d);
            qkvBias = bias(p + ParameterNames.QKV_BIAS, 3L * d);
            outWeight = weight(p + ParameterNames.ATTENTION_OUT_WEIGHT, d, d);
            outBias = bias(p + ParameterNames.ATTENTION_OUT_BIAS, d);
            ln2Gamma = gamma(p + ParameterNames.LN2_GAMMA, d);
            ln2Beta = beta(p + ParameterNames.LN2_BETA, d);
            ffnWeight1 = weight(p + ParameterNames.FFN_WEIGHT_1, d, ffn);
            ffnBias1 = bias(p + ParameterNames.FFN_BIAS_1, ffn);
            ffnWeight2 = weight(p + ParameterNames.FFN_WEIGHT_2, ffn, d);
            ffnBias2 = bias(p + ParameterNames.FFN_BIAS_2, d);
        }
    }

    /** Multiply-accumulates per position of one forward pass, for the FLOP count of the benchmark. */
    public long forwardMacsPerPosition() {
        long d = config.dModel();
        long t = config.sequenceLength();
        long perLayer = 3 * d * d + d * d + 2 * d * config.ffnDim() + 2 * t * d / 2; // QKV, out, FFN, causal attention
        long head = 0;
        long width = config.headWidth();
        for (int step = 0; step < config.sidLength(); step++) {
            head += d * width + width * config.stepVocabulary(step);
        }
        if (config.clusterHeadDim() > 0) {
            head += width * config.clusterHeadDim() + (long) config.clusterHeadDim() * config.stepVocabulary(1);
        }
        return config.layers() * perLayer + (long) config.mtpHorizon() * head;
    }
}
