package io.sidstream.tokenizer.codebook;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.sidstream.core.progress.Progress;
import io.sidstream.tokenizer.sid.ResidualQuantizer;
import java.util.Arrays;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a residual quantizer by k-means level by level: level 0 clusters the embeddings, each next level clusters
 * what the previous levels left over. k-means++ seeds each level (on a sample), Lloyd iterations refine it, and a
 * code left empty takes over the point that is worst served by its own code. With balancing on, each code takes at
 * most about its share of items: each code learns a price added to its distance (kept in the codebook, so the job's
 * quantizer assigns the same way), so dense regions get more codes and no code takes most of the noise; the
 * residuals passed down are those of the code the job will pick.
 *
 * <p>The distance matrix (items x codes) is one matrix product on DJL's PyTorch engine per iteration; plain Java
 * loops were 6-8x slower for this (STACK.md).
 */
public final class ResidualKMeans {

    private static final Logger LOG = LoggerFactory.getLogger(ResidualKMeans.class);
    private static final int SEED_SAMPLE_PER_CODE = 16;
    private static final int PRICE_ROUNDS = 200;
    private static final double PRICE_STEP_DECAY = 0.98;

    private final KMeansOptions options;

    public ResidualKMeans(KMeansOptions options) {
        this.options = options;
    }

    /** Trains on {@code catalog} (n x D); needs at least as many items as codes per level. */
    public ResidualQuantizer train(float[][] catalog) {
        return train(catalog, Progress.silent().start("", 0, ""));
    }

    /** Units of work {@link #train(float[][], Progress.Task)} reports: Lloyd iterations over all levels. */
    public int progressUnits() {
        return options.levels() * options.iterations();
    }

    /** The same, stepping {@code progress} once per Lloyd iteration. */
    public ResidualQuantizer train(float[][] catalog, Progress.Task progress) {
        return train(catalog, progress, () -> false);
    }

    /**
     * The same, giving up with a {@link java.util.concurrent.CancellationException} at the next Lloyd iteration once
     * {@code stopRequested} says so.
     */
    public ResidualQuantizer train(float[][] catalog, Progress.Task progress, BooleanSupplier stopRequested) {
        int n = catalog.length;
        int k = options.codes();
        if (n < k) {
            throw new IllegalArgumentException("need at least " + k + " embeddings to train " + k + " codes, got " + n);
        }
        int dim = catalog[0].length;
        float[] residual = new float[n * dim];
        for (int i = 0; i < n; i++) {
            if (catalog[i].length != dim) {
                throw new IllegalArgumentException(
                        "embedding " + i + " has " + catalog[i].length + " dimensions, not " + dim);
            }
            System.arraycopy(catalog[i], 0, residual, i * dim, dim);
        }
        Random random = new Random(options.seed());
        float[][] levels = new float[options.levels()][];
        float[][] offsets = new float[options.levels()][];
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            for (int level = 0; level < options.levels(); level++) {
                long start = System.nanoTime();
                TrainingStop.check(stopRequested);
                try (NDManager sub = manager.newSubManager()) {
                    NDArray x = sub.create(residual, new Shape(n, dim));
                    float[] norms = rowNorms(residual, n, dim);
                    float[] centroids = kMeansPlusPlus(residual, n, dim, k, random);
                    int[] assignment = new int[n];
                    float[] prices = new float[k];
                    for (int it = 0; it < options.iterations(); it++) {
                        TrainingStop.check(stopRequested);
                        float[] scores = scores(sub, x, centroids, k, dim);
                        if (options.balancing()) {
                            assignBalanced(scores, n, k, prices, assignment);
                        } else {
                            assignWithPrices(scores, n, k, prices, assignment);
                        }
                        centroids = update(residual, n, dim, k, assignment, scores, norms);
                        progress.stepBy(1);
                    }
                    int[] nearest = new int[n];
                    float[] finalScores = scores(sub, x, centroids, k, dim);
                    if (options.balancing()) {
                        assignBalanced(finalScores, n, k, prices, nearest);
                    } else {
                        assignWithPrices(finalScores, n, k, prices, nearest);
                    }
                    offsets[level] = prices;
                    for (int i = 0; i < n; i++) {
                        int off = nearest[i] * dim;
                        for (int d = 0; d < dim; d++) {
                            residual[i * dim + d] -= centroids[off + d];
                        }
                    }
                    levels[level] = centroids;
                }
                LOG.info(
                        "level {}: {} codes over {} items in {} ms",
                        level,
                        k,
                        n,
                        (System.nanoTime() - start) / 1_000_000);
            }
        }
        return new ResidualQuantizer(dim, levels, offsets);
    }

    /** {@code |c|^2 - 2 x.c} for every item and code, row-major n x k: the squared distance less {@code |x|^2}. */
    private static float[] scores(NDManager manager, NDArray x, float[] centroids, int k, int dim) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray c = sub.create(centroids, new Shape(k, dim));
            NDArray cNorm = c.square().sum(new int[] {1}).reshape(1, k);
            NDArray dot = x.matMul(c.transpose());
            dot.attach(sub);
            return cNorm.sub(dot.mul(2f)).toFloatArray();
        }
    }

    /**
     * Balanced assignment by prices (the dual of a capacity-constrained assignment): each code's score carries a
     * price that rises while the code holds more than its share of items and falls while it holds less; items take
     * their cheapest code. The prices stay in the codebook, so the job's nearest-code search lands items as evenly
     * as training did. Updates {@code prices} in place (warm-started across iterations) and fills {@code assignment}.
     */
    private void assignBalanced(float[] scores, int n, int k, float[] prices, int[] assignment) {
        double target = n / (double) k;
        double limit = options.balanceSlack() * target;
        double step = meanGap(scores, n, k);
        int[] load = new int[k];
        for (int round = 0; round < PRICE_ROUNDS; round++) {
            assignWithPrices(scores, n, k, prices, assignment);
            Arrays.fill(load, 0);
            int max = 0;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, ++load[assignment[i]]);
            }
            if (max <= limit) {
                return;
            }
            for (int j = 0; j < k; j++) {
                prices[j] += (float) (step * Math.log((load[j] + 1.0) / (target + 1.0)));
            }
            step *= PRICE_STEP_DECAY;
        }
        assignWithPrices(scores, n, k, prices, assignment);
    }

    private static void assignWithPrices(float[] scores, int n, int k, float[] prices, int[] assignment) {
        for (int i = 0; i < n; i++) {
            int base = i * k;
            int best = 0;
            float bestScore = scores[base] + prices[0];
            for (int j = 1; j < k; j++) {
                float s = scores[base + j] + prices[j];
                if (s < bestScore) {
                    bestScore = s;
                    best = j;
                }
            }
            assignment[i] = best;
        }
    }

    /** Mean gap between an item's best and second-best code: the scale prices move on. */
    private static double meanGap(float[] scores, int n, int k) {
        int stride = Math.max(1, n / 2000);
        double sum = 0;
        int count = 0;
        for (int i = 0; i < n; i += stride) {
            int base = i * k;
            float first = Float.MAX_VALUE;
            float second = Float.MAX_VALUE;
            for (int j = 0; j < k; j++) {
                float s = scores[base + j];
                if (s < first) {
                    second = first;
                    first = s;
                } else if (s < second) {
                    second = s;
                }
            }
            sum += second - first;
            count++;
        }
        return sum / count;
    }

    /** New centroids as the means of their items; an empty code re-seeds on the worst-served item of a shared code. */
    private static float[] update(float[] x, int n, int dim, int k, int[] assignment, float[] scores, float[] norms) {
        float[] sums = new float[k * dim];
        int[] counts = new int[k];
        for (int i = 0; i < n; i++) {
            int a = assignment[i];
            counts[a]++;
            int off = a * dim;
            int xo = i * dim;
            for (int d = 0; d < dim; d++) {
                sums[off + d] += x[xo + d];
            }
        }
        int empty = 0;
        for (int c : counts) {
            empty += c == 0 ? 1 : 0;
        }
        if (empty > 0) {
            Integer[] worst = new Integer[n];
            float[] cost = new float[n];
            for (int i = 0; i < n; i++) {
                worst[i] = i;
                cost[i] = scores[i * k + assignment[i]] + norms[i];
            }
            Arrays.sort(worst, (a, b) -> Float.compare(cost[b], cost[a]));
            int next = 0;
            for (int j = 0; j < k; j++) {
                if (counts[j] > 0) {
                    continue;
                }
                while (next < n && counts[assignment[worst[next]]] <= 1) {
                    next++;
                }
                if (next == n) {
                    break;
                }
                int i = worst[next++];
                int from = assignment[i];
                for (int d = 0; d < dim; d++) {
                    sums[from * dim + d] -= x[i * dim + d];
                    sums[j * dim + d] = x[i * dim + d];
                }
                counts[from]--;
                counts[j] = 1;
                assignment[i] = j;
            }
        }
        for (int j = 0; j < k; j++) {
            if (counts[j] > 0) {
                float inv = 1f / counts[j];
                for (int d = 0; d < dim; d++) {
                    sums[j * dim + d] *= inv;
                }
            }
        }
        return sums;
    }

    /** k-means++ seeding on a seeded sample of the items (D^2 sampling), K x D row-major. */
    private static float[] kMeansPlusPlus(float[] x, int n, int dim, int k, Random random) {
        int m = Math.min(n, Math.max(k * SEED_SAMPLE_PER_CODE, k));
        int[] sample = sample(n, m, random);
        float[] centroids = new float[k * dim];
        float[] nearest = new float[m];
        Arrays.fill(nearest, Float.MAX_VALUE);
        int first = sample[random.nextInt(m)];
        System.arraycopy(x, first * dim, centroids, 0, dim);
        for (int c = 1; c <= k; c++) {
            int prev = (c - 1) * dim;
            double total = 0;
            for (int s = 0; s < m; s++) {
                int xo = sample[s] * dim;
                float dist = 0;
                for (int d = 0; d < dim; d++) {
                    float diff = x[xo + d] - centroids[prev + d];
                    dist += diff * diff;
                }
                if (dist < nearest[s]) {
                    nearest[s] = dist;
                }
                total += nearest[s];
            }
            if (c == k) {
                break;
            }
            int pick;
            if (total <= 0) {
                pick = sample[random.nextInt(m)];
            } else {
                double target = random.nextDouble() * total;
                int s = 0;
                double acc = nearest[0];
                while (acc < target && s < m - 1) {
                    acc += nearest[++s];
                }
                pick = sample[s];
            }
            System.arraycopy(x, pick * dim, centroids, c * dim, dim);
        }
        return centroids;
    }

    private static int[] sample(int n, int m, Random random) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int i = 0; i < m; i++) {
            int j = i + random.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return Arrays.copyOf(all, m);
    }

    private static float[] rowNorms(float[] x, int n, int dim) {
        float[] norms = new float[n];
        for (int i = 0; i < n; i++) {
            float s = 0;
            for (int d = 0; d < dim; d++) {
                s += x[i * dim + d] * x[i * dim + d];
            }
            norms[i] = s;
        }
        return norms;
    }
}
