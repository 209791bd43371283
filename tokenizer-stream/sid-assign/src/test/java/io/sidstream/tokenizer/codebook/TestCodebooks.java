package io.sidstream.tokenizer.codebook;

import io.sidstream.schemas.CodebookPublished;
import io.sidstream.tokenizer.sid.ResidualQuantizer;
import java.time.Instant;
import java.util.Random;

/**
 * Small codebooks for the job's tests: residual k-means in plain Java (seeded starts, a few Lloyd iterations, no
 * balancing). Training proper (PyTorch, balancing, RQ-VAE) is the codebook-training module's, which the job module
 * does not link; the job's tests only need codes that spread a clustered catalog, announced as training announces them.
 */
public final class TestCodebooks {

    private TestCodebooks() {}

    /** {@code levels x codes} codes over {@code catalog} (at least {@code codes} items), deterministic for a seed. */
    public static Codebook kmeans(
            String version,
            String model,
            float[][] catalog,
            int levels,
            int codes,
            int iterations,
            long seed,
            int maxCollisionTokens) {
        int dim = catalog[0].length;
        float[][] residuals = new float[catalog.length][];
        for (int i = 0; i < catalog.length; i++) {
            residuals[i] = catalog[i].clone();
        }
        float[][] centroids = new float[levels][];
        Random random = new Random(seed);
        for (int level = 0; level < levels; level++) {
            float[] codesOfLevel = seeds(residuals, codes, random);
            int[] assigned = new int[residuals.length];
            for (int iteration = 0; iteration < iterations; iteration++) {
                assign(residuals, codesOfLevel, codes, assigned);
                update(residuals, codesOfLevel, codes, assigned);
            }
            assign(residuals, codesOfLevel, codes, assigned);
            for (int i = 0; i < residuals.length; i++) {
                for (int d = 0; d < dim; d++) {
                    residuals[i][d] -= codesOfLevel[assigned[i] * dim + d];
                }
            }
            centroids[level] = codesOfLevel;
        }
        return new Codebook(version, model, maxCollisionTokens, Instant.EPOCH, new ResidualQuantizer(dim, centroids));
    }

    /** The codebook's announcement with the artifact inline and its quality report over {@code catalog}. */
    public static CodebookPublished announcement(Codebook codebook, float[][] catalog, Instant publishedAt) {
        return CodebookPublisher.announcement(
                codebook,
                CodebookFormat.write(codebook),
                "inline:" + codebook.version(),
                QualityReport.evaluate(codebook, catalog),
                publishedAt);
    }

    /** Distinct items, drawn at random, as the starting centroids. */
    private static float[] seeds(float[][] items, int codes, Random random) {
        if (items.length < codes) {
            throw new IllegalArgumentException("need at least " + codes + " items, got " + items.length);
        }
        int dim = items[0].length;
        int[] order = random.ints(0, items.length).distinct().limit(codes).toArray();
        float[] centroids = new float[codes * dim];
        for (int k = 0; k < codes; k++) {
            System.arraycopy(items[order[k]], 0, centroids, k * dim, dim);
        }
        return centroids;
    }

    private static void assign(float[][] items, float[] centroids, int codes, int[] out) {
        int dim = items[0].length;
        for (int i = 0; i < items.length; i++) {
            int best = 0;
            double bestDistance = Double.MAX_VALUE;
            for (int k = 0; k < codes; k++) {
                double distance = 0;
                for (int d = 0; d < dim; d++) {
                    double diff = items[i][d] - centroids[k * dim + d];
                    distance += diff * diff;
                }
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = k;
                }
            }
            out[i] = best;
        }
    }

    /** Each code moves to the mean of its items; a code left empty keeps its place. */
    private static void update(float[][] items, float[] centroids, int codes, int[] assigned) {
        int dim = items[0].length;
        double[] sums = new double[codes * dim];
        int[] counts = new int[codes];
        for (int i = 0; i < items.length; i++) {
            counts[assigned[i]]++;
            for (int d = 0; d < dim; d++) {
                sums[assigned[i] * dim + d] += items[i][d];
            }
        }
        for (int k = 0; k < codes; k++) {
            if (counts[k] > 0) {
                for (int d = 0; d < dim; d++) {
                    centroids[k * dim + d] = (float) (sums[k * dim + d] / counts[k]);
                }
            }
        }
    }
}
