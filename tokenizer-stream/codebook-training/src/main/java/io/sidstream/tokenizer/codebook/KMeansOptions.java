package io.sidstream.tokenizer.codebook;

import io.sidstream.tokenizer.sid.SidConfig;

/**
 * How residual k-means trains: levels x codes, Lloyd iterations per level, the seed of k-means++ and sampling, and
 * balancing (while training, each code takes at most {@code balanceSlack x items / codes} items).
 */
public record KMeansOptions(int levels, int codes, int iterations, long seed, boolean balancing, double balanceSlack) {

    public KMeansOptions {
        if (levels < 1 || codes < 2 || iterations < 1) {
            throw new IllegalArgumentException(
                    "need levels >= 1, codes >= 2, iterations >= 1; got " + levels + ", " + codes + ", " + iterations);
        }
        if (balanceSlack < 1.0) {
            throw new IllegalArgumentException("balanceSlack must be at least 1.0, got " + balanceSlack);
        }
    }

    public static KMeansOptions from(SidConfig config) {
        return new KMeansOptions(
                config.levels(),
                config.codesPerLevel(),
                config.kmeansIterations(),
                config.seed(),
                config.balancing(),
                config.balanceSlack());
    }

    public KMeansOptions withBalancing(boolean on) {
        return new KMeansOptions(levels, codes, iterations, seed, on, balanceSlack);
    }
}
