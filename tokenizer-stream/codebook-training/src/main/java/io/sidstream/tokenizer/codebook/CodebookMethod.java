package io.sidstream.tokenizer.codebook;

import java.util.Locale;

/** How a codebook is trained ({@code sid.codebook-method}, {@code codebook train --method}). */
public enum CodebookMethod {
    /** Residual k-means over the raw embeddings, balanced by per-code prices ({@link ResidualKMeans}). */
    KMEANS,
    /** A learned encoder + residual quantizer + decoder ({@link RqVae}); the codebook carries the encoder. */
    RQVAE;

    public static CodebookMethod parse(String name) {
        for (CodebookMethod m : values()) {
            if (m.name().equals(name.trim().toUpperCase(Locale.ROOT).replace("-", ""))) {
                return m;
            }
        }
        throw new IllegalArgumentException("sid.codebook-method must be kmeans or rqvae, got '" + name + "'");
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
