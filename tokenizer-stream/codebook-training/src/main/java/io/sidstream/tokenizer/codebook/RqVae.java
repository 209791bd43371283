package io.sidstream.tokenizer.codebook;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.sidstream.core.progress.Progress;
import io.sidstream.tokenizer.sid.ResidualQuantizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains an RQ-VAE the way TIGER does: an MLP encoder maps an embedding to a latent, a residual quantizer (L levels of
 * K codes) replaces the latent by a sum of codes, an MLP decoder maps that back, and the loss is the reconstruction
 * error plus {@code beta} times the commitment error (latent against the codes' partial sums, pulling the encoder
 * towards its codes). The quantizer is not differentiable, so the decoder's gradient passes straight through to the
 * latent; the codebooks follow their assigned latents as exponential moving averages (with Laplace smoothing of
 * the counts) instead of by gradient.
 *
 * <p>One warm-up epoch trains the autoencoder alone, then residual k-means on the latents of the first batch (at least
 * 16 per code) seeds the codebooks, so no code starts in empty space; a code whose moving count falls under
 * {@value #DEAD_SHARE} of its even share is re-seeded on a random residual of the current batch. Everything random
 * (initial weights, shuffling, re-seeding) comes from the seed, and on CPU the run is deterministic.
 *
 * <p>Weights live as {@code in x out} NDArrays on DJL's PyTorch engine so every product has the batch on its left
 * (an op's result belongs to its left operand's manager: each step's arrays die with its sub-manager).
 */
public final class RqVae {

    private static final Logger LOG = LoggerFactory.getLogger(RqVae.class);
    private static final double DEAD_SHARE = 0.05;
    private static final double LAPLACE = 1e-5;
    private static final int SEED_ITEMS_PER_CODE = 16;
    private static final int SEED_KMEANS_ITERATIONS = 10;

    private final RqVaeOptions options;

    public RqVae(RqVaeOptions options) {
        this.options = options;
    }

    /** One pass over the catalog: mean reconstruction and commitment error, and how many dead codes were re-seeded. */
    public record Epoch(int epoch, boolean quantized, double reconstruction, double commitment, int reseeded) {}

    /** The trained quantizer (in the latent space), the encoder and decoder, and the loss history. */
    public record Trained(ResidualQuantizer quantizer, Autoencoder autoencoder, List<Epoch> history) {}

    /** Trains on {@code catalog} (n x D); needs at least a batch of items. */
    public Trained train(float[][] catalog) {
        return train(catalog, Progress.silent().start("", 0, ""));
    }

    /** Units of work {@link #train(float[][], Progress.Task)} reports: epochs, the warm-up one included. */
    public int progressUnits() {
        return options.epochs() + 1;
    }

    /** The same, stepping {@code progress} once per epoch. */
    public Trained train(float[][] catalog, Progress.Task progress) {
        return train(catalog, progress, () -> false);
    }

    /**
     * The same, giving up with a {@link java.util.concurrent.CancellationException} at the next step (batch) once
     * {@code stopRequested} says so.
     */
    public Trained train(float[][] catalog, Progress.Task progress, BooleanSupplier stopRequested) {
        int n = catalog.length;
        if (n < options.batchSize()) {
            throw new IllegalArgumentException(
                    "need at least a batch (" + options.batchSize() + ") of embeddings, got " + n);
        }
        int dim = catalog[0].length;
        for (int i = 0; i < n; i++) {
            if (catalog[i].length != dim) {
                throw new IllegalArgumentException(
                        "embedding " + i + " has " + catalog[i].length + " dimensions, not " + dim);
            }
        }
        Random random = new Random(options.seed());
        List<Epoch> history = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Run run = new Run(manager, catalog, dim, random, stopRequested);
            history.add(run.epoch(0, false));
            progress.stepBy(1);
            run.seedCodebooks();
            for (int e = 1; e <= options.epochs(); e++) {
                history.add(run.epoch(e, true));
                progress.stepBy(1);
            }
            return new Trained(
                    new ResidualQuantizer(options.latentDim(), run.codebooks), run.export(), List.copyOf(history));
        }
    }

    /** A dense layer's parameters: weights {@code in x out}, bias {@code out}. */
    private record Dense(String id, NDArray weights, NDArray bias, int inputs, int outputs) {

        NDArray forward(NDArray x) {
            return x.matMul(weights).add(bias);
        }

        Mlp.Layer export() {
            float[] w = weights.toFloatArray();
            float[] t = new float[w.length];
            for (int i = 0; i < inputs; i++) {
                for (int o = 0; o < outputs; o++) {
                    t[o * inputs + i] = w[i * outputs + o];
                }
            }
            return new Mlp.Layer(inputs, outputs, t, bias.toFloatArray());
        }
    }

    /** The state of one training run. */
    private final class Run {
        private final NDManager manager;
        private final float[][] catalog;
        private final int dim;
        private final Random random;
        private final BooleanSupplier stopRequested;
        private final int[] order;
        private final List<Dense> parameters = new ArrayList<>();
        private final Dense enc1;
        private final Dense enc2;
        private final Dense dec1;
        private final Dense dec2;
        private final Optimizer adam;
        private final float[][] codebooks;
        private final double[][] emaCounts;
        private final double[][] emaSums;

        Run(NDManager manager, float[][] catalog, int dim, Random random, BooleanSupplier stopRequested) {
            this.manager = manager;
            this.catalog = catalog;
            this.dim = dim;
            this.random = random;
            this.stopRequested = stopRequested;
            this.order = new int[catalog.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            int hidden = options.hiddenDim();
            int latent = options.latentDim();
            enc1 = dense("enc1", dim, hidden, 2.0);
            enc2 = dense("enc2", hidden, latent, 1.0);
            dec1 = dense("dec1", latent, hidden, 2.0);
            dec2 = dense("dec2", hidden, dim, 1.0);
            adam = Optimizer.adam()
                    .optLearningRateTracker(Tracker.fixed((float) options.learningRate()))
                    .build();
            codebooks = new float[options.levels()][];
            emaCounts = new double[options.levels()][options.codes()];
            emaSums = new double[options.levels()][options.codes() * latent];
        }

        /** He-style initialisation: gaussian weights of variance {@code gain / in}, zero bias. */
        private Dense dense(String id, int in, int out, double gain) {
            float[] w = new float[in * out];
            double scale = Math.sqrt(gain / in);
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) (random.nextGaussian() * scale);
            }
            NDArray weights = manager.create(w, new Shape(in, out));
            NDArray bias = manager.zeros(new Shape(out));
            weights.setRequiresGradient(true);
            bias.setRequiresGradient(true);
            Dense layer = new Dense(id, weights, bias, in, out);
            parameters.add(layer);
            return layer;
        }

        NDArray encode(NDArray x) {
            return enc2.forward(Activation.relu(enc1.forward(x)));
        }

        NDArray decode(NDArray z) {
            return dec2.forward(Activation.relu(dec1.forward(z)));
        }

        Epoch epoch(int number, boolean quantize) {
            long start = System.nanoTime();
            shuffle();
            int n = catalog.length;
            int batch = options.batchSize();
            double recon = 0;
            double commit = 0;
            int reseeded = 0;
            int steps = 0;
            for (int from = 0; from < n; from += batch) {
                TrainingStop.check(stopRequested);
                int b = Math.min(batch, n - from);
                try (NDManager step = manager.newSubManager()) {
                    NDArray x = step.create(rows(from, b), new Shape(b, dim));
                    float[][] residuals = new float[options.levels()][];
                    float[][] counts = new float[options.levels()][];
                    float[][] sums = new float[options.levels()][];
                    try (GradientCollector collector =
                            Engine.getEngine("PyTorch").newGradientCollector()) {
                        NDArray z = encode(x);
                        NDArray loss;
                        if (quantize) {
                            NDArray r = z.stopGradient();
                            NDArray codeSum = null;
                            NDArray commitment = null;
                            for (int l = 0; l < options.levels(); l++) {
                                NDArray c = step.create(codebooks[l], new Shape(options.codes(), options.latentDim()));
                                NDArray cNorm = c.square().sum(new int[] {1}).reshape(1, options.codes());
                                NDArray scores =
                                        r.matMul(c.transpose()).mul(-2f).add(cNorm);
                                NDArray oneHot = scores.argMin(1).oneHot(options.codes());
                                NDArray code = oneHot.matMul(c);
                                residuals[l] = r.toFloatArray();
                                counts[l] = oneHot.sum(new int[] {0}).toFloatArray();
                                sums[l] = oneHot.transpose().matMul(r).toFloatArray();
                                r = r.sub(code);
                                codeSum = codeSum == null ? code : codeSum.add(code);
                                NDArray gap = z.sub(codeSum)
                                        .square()
                                        .sum(new int[] {1})
                                        .mean();
                                commitment = commitment == null ? gap : commitment.add(gap);
                            }
                            // straight-through: forward the codes, backward the gradient to the latent unchanged
                            NDArray quantized = z.add(codeSum.sub(z).stopGradient());
                            NDArray reconstruction = x.sub(decode(quantized))
                                    .square()
                                    .sum(new int[] {1})
                                    .mean();
                            loss = reconstruction.add(commitment.mul((float) options.commitment()));
                            recon += reconstruction.getFloat();
                            commit += commitment.getFloat();
                        } else {
                            loss = x.sub(decode(z)).square().sum(new int[] {1}).mean();
                            recon += loss.getFloat();
                        }
                        collector.backward(loss);
                    }
                    applyGradients();
                    if (quantize) {
                        reseeded += updateCodebooks(b, residuals, counts, sums);
                    }
                }
                steps++;
            }
            Epoch epoch = new Epoch(number, quantize, recon / steps, commit / steps, reseeded);
            LOG.info(
                    "rq-vae epoch {}{}: reconstruction {} commitment {} re-seeded codes {} ({} ms)",
                    number,
                    quantize ? "" : " (warm-up, no quantizer)",
                    String.format("%.5f", epoch.reconstruction()),
                    String.format("%.5f", epoch.commitment()),
                    reseeded,
                    (System.nanoTime() - start) / 1_000_000);
            return epoch;
        }

        private void applyGradients() {
            for (Dense layer : parameters) {
                for (NDArray p : List.of(layer.weights(), layer.bias())) {
                    NDArray grad = p.getGradient();
                    adam.update(layer.id() + (p == layer.weights() ? ".w" : ".b"), p, grad);
                    grad.subi(grad); // gradients accumulate across backward passes
                    grad.close();
                }
            }
        }

        /** EMA update of every level's codes from this batch's assignments; returns how many dead codes re-seeded. */
        private int updateCodebooks(int b, float[][] residuals, float[][] counts, float[][] sums) {
            double decay = options.emaDecay();
            int k = options.codes();
            int latent = options.latentDim();
            double deadBelow = DEAD_SHARE * b / k;
            int reseeded = 0;
            for (int l = 0; l < options.levels(); l++) {
                double[] count = emaCounts[l];
                double[] sum = emaSums[l];
                double total = 0;
                for (int j = 0; j < k; j++) {
                    count[j] = decay * count[j] + (1 - decay) * counts[l][j];
                    total += count[j];
                }
                for (int i = 0; i < sum.length; i++) {
                    sum[i] = decay * sum[i] + (1 - decay) * sums[l][i];
                }
                float[] c = codebooks[l];
                for (int j = 0; j < k; j++) {
                    if (count[j] < deadBelow) {
                        int item = random.nextInt(b);
                        count[j] = b / (double) k;
                        for (int d = 0; d < latent; d++) {
                            float v = residuals[l][item * latent + d];
                            c[j * latent + d] = v;
                            sum[j * latent + d] = v * count[j];
                        }
                        reseeded++;
                        continue;
                    }
                    double smoothed = (count[j] + LAPLACE) / (total + k * LAPLACE) * total;
                    for (int d = 0; d < latent; d++) {
                        c[j * latent + d] = (float) (sum[j * latent + d] / smoothed);
                    }
                }
            }
            return reseeded;
        }

        /** Residual k-means over the latents of the first batch (of the shuffled order) seeds every level. */
        void seedCodebooks() {
            shuffle();
            int m = Math.min(catalog.length, Math.max(options.batchSize(), SEED_ITEMS_PER_CODE * options.codes()));
            float[][] latents = new float[m][];
            try (NDManager step = manager.newSubManager()) {
                float[] z = encode(step.create(rows(0, m), new Shape(m, dim))).toFloatArray();
                int latent = options.latentDim();
                for (int i = 0; i < m; i++) {
                    latents[i] = new float[latent];
                    System.arraycopy(z, i * latent, latents[i], 0, latent);
                }
            }
            ResidualQuantizer seed = new ResidualKMeans(new KMeansOptions(
                            options.levels(), options.codes(), SEED_KMEANS_ITERATIONS, options.seed(), false, 1.5))
                    .train(latents, Progress.silent().start("", 0, ""), stopRequested);
            double even = options.batchSize() / (double) options.codes();
            for (int l = 0; l < options.levels(); l++) {
                codebooks[l] = seed.centroids(l);
                java.util.Arrays.fill(emaCounts[l], even);
                for (int i = 0; i < codebooks[l].length; i++) {
                    emaSums[l][i] = codebooks[l][i] * even;
                }
            }
        }

        Autoencoder export() {
            return new Autoencoder(
                    new Mlp(List.of(enc1.export(), enc2.export())), new Mlp(List.of(dec1.export(), dec2.export())));
        }

        private float[] rows(int from, int count) {
            float[] out = new float[count * dim];
            for (int i = 0; i < count; i++) {
                System.arraycopy(catalog[order[from + i]], 0, out, i * dim, dim);
            }
            return out;
        }

        private void shuffle() {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
    }
}
