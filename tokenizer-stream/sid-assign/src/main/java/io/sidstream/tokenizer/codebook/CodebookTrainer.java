package io.sidstream.tokenizer.codebook;

import io.sidstream.tokenizer.sid.ResidualQuantizer;
import java.time.Instant;

/** Trains a codebook version over a catalog of embeddings and measures it on the same catalog. */
public final class CodebookTrainer {

    private final KMeansOptions options;
    private final int maxCollisionTokens;

    public CodebookTrainer(KMeansOptions options, int maxCollisionTokens) {
        this.options = options;
        this.maxCollisionTokens = maxCollisionTokens;
    }

    /** A trained codebook and its quality report. */
    public record Trained(Codebook codebook, QualityReport quality) {
    }

    public Trained train(String version, String embeddingModel, float[][] catalog) {
        ResidualQuantizer quantizer = new ResidualKMeans(options).train(catalog);
        Codebook codebook = new Codebook(version, embeddingModel, maxCollisionTokens, Instant.now(), quantizer);
        return new Trained(codebook, QualityReport.evaluate(codebook, catalog));
    }
}
