package io.sidstream.tokenizer.codebook;

import io.sidstream.core.progress.Progress;
import io.sidstream.tokenizer.sid.ResidualQuantizer;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Trains a codebook version over a catalog of embeddings, by either method, and measures it on the same catalog. */
public final class CodebookTrainer {

    private final CodebookMethod method;
    private final KMeansOptions kmeans;
    private final RqVaeOptions rqVae;
    private final int maxCollisionTokens;

    /** A residual k-means trainer. */
    public CodebookTrainer(KMeansOptions options, int maxCollisionTokens) {
        this(CodebookMethod.KMEANS, options, null, maxCollisionTokens);
    }

    private CodebookTrainer(CodebookMethod method, KMeansOptions kmeans, RqVaeOptions rqVae, int maxCollisionTokens) {
        this.method = method;
        this.kmeans = kmeans;
        this.rqVae = rqVae;
        this.maxCollisionTokens = maxCollisionTokens;
    }

    /** An RQ-VAE trainer. */
    public static CodebookTrainer rqVae(RqVaeOptions options, int maxCollisionTokens) {
        return new CodebookTrainer(CodebookMethod.RQVAE, null, options, maxCollisionTokens);
    }

    /** A trainer of {@code method} with the options of both methods (the configuration's). */
    public static CodebookTrainer of(
            CodebookMethod method, KMeansOptions kmeans, RqVaeOptions rqVae, int maxCollisionTokens) {
        return method == CodebookMethod.KMEANS
                ? new CodebookTrainer(kmeans, maxCollisionTokens)
                : rqVae(rqVae, maxCollisionTokens);
    }

    public CodebookMethod method() {
        return method;
    }

    /** A trained codebook, its quality report, and how long training took (without the report). */
    public record Trained(Codebook codebook, QualityReport quality, Duration trainingTime) {}

    public Trained train(String version, String embeddingModel, float[][] catalog) {
        return train(version, embeddingModel, catalog, Progress.silent());
    }

    /** The same, with a progress bar (Lloyd iterations or epochs). */
    public Trained train(String version, String embeddingModel, float[][] catalog, Progress progress) {
        return train(version, embeddingModel, catalog, progress, () -> false);
    }

    /**
     * The same, giving up within a Lloyd iteration or an RQ-VAE step once {@code stopRequested} says so (a process
     * told to stop): {@link java.util.concurrent.CancellationException}, and nothing trained is returned.
     */
    public Trained train(
            String version,
            String embeddingModel,
            float[][] catalog,
            Progress progress,
            BooleanSupplier stopRequested) {
        long start = System.nanoTime();
        Codebook codebook;
        if (method == CodebookMethod.KMEANS) {
            ResidualKMeans trainer = new ResidualKMeans(kmeans);
            ResidualQuantizer quantizer;
            try (Progress.Task bar = progress.start("codebook", trainer.progressUnits(), "iterations")) {
                quantizer = trainer.train(catalog, bar, stopRequested);
            }
            codebook = new Codebook(version, embeddingModel, maxCollisionTokens, Instant.now(), quantizer);
        } else {
            RqVae trainer = new RqVae(rqVae);
            RqVae.Trained trained;
            try (Progress.Task bar = progress.start("codebook", trainer.progressUnits(), "epochs")) {
                trained = trainer.train(catalog, bar, stopRequested);
            }
            codebook = new Codebook(
                    version,
                    embeddingModel,
                    maxCollisionTokens,
                    Instant.now(),
                    trained.quantizer(),
                    trained.autoencoder());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new Trained(codebook, QualityReport.evaluate(codebook, catalog), took);
    }
}
