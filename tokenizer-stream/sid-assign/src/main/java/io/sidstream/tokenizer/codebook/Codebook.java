package io.sidstream.tokenizer.codebook;

import io.sidstream.tokenizer.sid.ResidualQuantizer;
import java.time.Instant;

/**
 * A versioned codebook: the centroids of a residual quantizer for one embedding space, and the bound on the
 * collision token that completes a SID. {@link CodebookFormat} reads and writes it; SIDs carry its version.
 */
public record Codebook(String version, String embeddingModel, int maxCollisionTokens, Instant createdAt,
                       ResidualQuantizer quantizer) {

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
    }

    public int dim() {
        return quantizer.dim();
    }

    public int levels() {
        return quantizer.levels();
    }

    public int codesPerLevel() {
        return quantizer.codesPerLevel();
    }
}
