package io.sidstream.tokenizer.codebook;

/**
 * The learned halves of an RQ-VAE codebook: the encoder maps an embedding into the latent space the quantizer works
 * in, the decoder maps a quantized latent back (for the reconstruction error of the quality report; the job only
 * encodes).
 */
public record Autoencoder(Mlp encoder, Mlp decoder) {

    public Autoencoder {
        if (encoder.outputs() != decoder.inputs() || decoder.outputs() != encoder.inputs()) {
            throw new IllegalArgumentException("encoder " + encoder.inputs() + " -> " + encoder.outputs()
                    + " and decoder " + decoder.inputs() + " -> " + decoder.outputs() + " do not fit together");
        }
    }

    public int embeddingDim() {
        return encoder.inputs();
    }

    public int latentDim() {
        return encoder.outputs();
    }
}
