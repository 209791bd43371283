package io.sidstream.tokenizer.codebook;

import com.typesafe.config.Config;

/**
 * How an RQ-VAE trains (the {@code sid.rqvae.*} keys plus the quantizer's shape and seed from {@code sid.*}).
 *
 * @param levels       quantizer levels
 * @param codes        codes per level
 * @param latentDim    width of the encoder's output, the space the quantizer works in
 * @param hiddenDim    width of the encoder's and decoder's one hidden layer
 * @param epochs       passes over the catalog with the quantizer in the loop (after one warm-up pass without it)
 * @param batchSize    items per optimizer step
 * @param learningRate Adam's step size
 * @param commitment   weight of the commitment loss ({@code beta}: how hard latents are pulled to their codes)
 * @param emaDecay     decay of the codebooks' moving averages
 * @param seed         seed of the initial weights, the shuffling and dead-code re-seeding
 */
public record RqVaeOptions(
        int levels,
        int codes,
        int latentDim,
        int hiddenDim,
        int epochs,
        int batchSize,
        double learningRate,
        double commitment,
        double emaDecay,
        long seed) {

    public RqVaeOptions {
        require(levels >= 1 && codes >= 2, "need levels >= 1 and codes >= 2, got " + levels + " and " + codes);
        require(latentDim >= 1 && hiddenDim >= 1, "sid.rqvae.latent-dim and hidden-dim must be positive");
        require(epochs >= 1, "sid.rqvae.epochs must be at least 1, got " + epochs);
        require(
                batchSize >= codes,
                "sid.rqvae.batch-size must be at least the codes per level (" + codes
                        + ") so the first batch can seed every code, got " + batchSize);
        require(learningRate > 0, "sid.rqvae.learning-rate must be positive, got " + learningRate);
        require(commitment >= 0, "sid.rqvae.commitment must not be negative, got " + commitment);
        require(emaDecay > 0 && emaDecay < 1, "sid.rqvae.ema-decay must be in (0, 1), got " + emaDecay);
    }

    /** From the {@code sid} section: shape and seed from its top level, the rest from {@code sid.rqvae}. */
    public static RqVaeOptions from(Config sid) {
        Config c = sid.getConfig("rqvae");
        return new RqVaeOptions(
                sid.getInt("levels"),
                sid.getInt("codes-per-level"),
                c.getInt("latent-dim"),
                c.getInt("hidden-dim"),
                c.getInt("epochs"),
                c.getInt("batch-size"),
                c.getDouble("learning-rate"),
                c.getDouble("commitment"),
                c.getDouble("ema-decay"),
                sid.getLong("seed"));
    }

    public RqVaeOptions withEpochs(int value) {
        return new RqVaeOptions(
                levels, codes, latentDim, hiddenDim, value, batchSize, learningRate, commitment, emaDecay, seed);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
