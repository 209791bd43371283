package io.sidstream.tokenizer.codebook;

import io.sidstream.tokenizer.sid.ResidualQuantizer;
import java.time.Instant;

/**
 * A versioned codebook: the centroids of a residual quantizer for one embedding space, and the bound on the
 * collision token that completes a SID. {@link CodebookFormat} reads and writes it; SIDs carry its version.
 *
 * <p>A codebook trained as an RQ-VAE also carries its {@link Autoencoder}: the quantizer then works in the encoder's
 * latent space, and {@link #prefix(float[])} encodes first. Callers that quantize embeddings go through this class,
 * never through {@link #quantizer()} directly, so both kinds work.
 *
 * @param autoencoder null for a codebook over the raw embedding (residual k-means)
 */
public record Codebook(
        String version,
        String embeddingModel,
        int maxCollisionTokens,
        Instant createdAt,
        ResidualQuantizer quantizer,
        Autoencoder autoencoder) {

    public Codebook {
        if (version == null || version.isBlank() || version.length() > 200) {
            throw new IllegalArgumentException("a codebook version is a non-empty name of at most 200 characters");
        }
        if (embeddingModel == null || embeddingModel.isBlank()) {
            throw new IllegalArgumentException("a codebook names its embedding model");
        }
        if (maxCollisionTokens < 1) {
            throw new IllegalArgumentException("maxCollisionTokens must be at least 1, got " + maxCollisionTokens);
        }
        if (autoencoder != null && autoencoder.latentDim() != quantizer.dim()) {
            throw new IllegalArgumentException("the encoder gives " + autoencoder.latentDim()
                    + "-d latents but the quantizer works in " + quantizer.dim() + " dimensions");
        }
    }

    /** A codebook over the raw embedding space. */
    public Codebook(
            String version,
            String embeddingModel,
            int maxCollisionTokens,
            Instant createdAt,
            ResidualQuantizer quantizer) {
        this(version, embeddingModel, maxCollisionTokens, createdAt, quantizer, null);
    }

    /** The dimension of the embeddings this codebook takes (the encoder's input when there is one). */
    public int dim() {
        return autoencoder == null ? quantizer.dim() : autoencoder.embeddingDim();
    }

    public int levels() {
        return quantizer.levels();
    }

    public int codesPerLevel() {
        return quantizer.codesPerLevel();
    }

    public boolean learned() {
        return autoencoder != null;
    }

    /** The SID prefix of an embedding: encoded first when the codebook has an encoder, then the nearest code per level. */
    public int[] prefix(float[] embedding) {
        int[] out = new int[levels()];
        prefix(embedding, out, new Scratch(this));
        return out;
    }

    /**
     * What the quantizer works on: the embedding itself for a raw codebook, a fresh array with its encoding for an
     * RQ-VAE (for the batched quantizer, which takes the quantizer's inputs).
     */
    public float[] quantizerInput(float[] embedding) {
        return autoencoder == null
                ? embedding
                : latent(embedding, new Scratch(this)).clone();
    }

    /** As {@link #prefix(float[])} into {@code out} (length L), reusing {@code scratch}: nothing allocated per call. */
    public void prefix(float[] embedding, int[] out, Scratch scratch) {
        quantizer.quantize(latent(embedding, scratch), out, scratch.quantizer);
    }

    /**
     * Quantizes into {@code out} and returns the squared reconstruction error in the embedding space: the residual
     * for a raw codebook, {@code |x - decode(sum of codes)|^2} for an RQ-VAE (a decoder pass more than the job needs).
     */
    public float quantize(float[] embedding, int[] out, Scratch scratch) {
        float error = quantizer.quantize(latent(embedding, scratch), out, scratch.quantizer);
        if (autoencoder == null) {
            return error;
        }
        float[] z = scratch.latent;
        float[] r = scratch.quantizer.residual();
        for (int d = 0; d < z.length; d++) {
            z[d] -= r[d]; // latent minus what the codes left over: the sum of the chosen codes
        }
        autoencoder.decoder().apply(z, scratch.decoded, scratch.layers);
        float sum = 0;
        for (int d = 0; d < embedding.length; d++) {
            float diff = embedding[d] - scratch.decoded[d];
            sum += diff * diff;
        }
        return sum;
    }

    private float[] latent(float[] embedding, Scratch scratch) {
        if (autoencoder == null) {
            return embedding;
        }
        if (embedding.length != dim()) {
            throw new IllegalArgumentException(
                    "embedding has " + embedding.length + " dimensions, codebook wants " + dim());
        }
        autoencoder.encoder().apply(embedding, scratch.latent, scratch.layers);
        return scratch.latent;
    }

    /** Per-thread buffers for {@link #prefix(float[], int[], Scratch)} and {@link #quantize}. */
    public static final class Scratch {
        private final ResidualQuantizer.Scratch quantizer;
        private final float[] latent;
        private final float[] decoded;
        private final float[][] layers;

        public Scratch(Codebook codebook) {
            this.quantizer = new ResidualQuantizer.Scratch(codebook.quantizer());
            Autoencoder ae = codebook.autoencoder();
            int widest = ae == null
                    ? 0
                    : Math.max(ae.encoder().widest(), ae.decoder().widest());
            this.latent = new float[ae == null ? 0 : ae.latentDim()];
            this.decoded = new float[ae == null ? 0 : ae.embeddingDim()];
            this.layers = new float[][] {new float[widest], new float[widest]};
        }
    }
}
