package io.sidstream.tokenizer.cli;

import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.core.cli.StopSignal;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.progress.Progress;
import io.sidstream.tokenizer.catalog.SyntheticCatalog;
import io.sidstream.tokenizer.codebook.CodebookMethod;
import io.sidstream.tokenizer.codebook.CodebookStore;
import io.sidstream.tokenizer.codebook.CodebookTrainer;
import io.sidstream.tokenizer.codebook.EmbeddingsFile;
import io.sidstream.tokenizer.codebook.KMeansOptions;
import io.sidstream.tokenizer.codebook.RqVaeOptions;
import io.sidstream.tokenizer.sid.SidConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sidstream codebook train}: residual k-means or an RQ-VAE over a catalog (an .fvecs file, the synthetic world's
 * catalog or the stand-in), stored with its quality report.
 */
@Command(
        name = "train",
        description = "Train a codebook (residual k-means or RQ-VAE) over a catalog of embeddings and "
                + "store it, with its quality report, in sid.codebook-dir.",
        mixinStandardHelpOptions = true)
public final class CodebookTrainCommand implements Callable<Integer> {

    /** Longest a stop waits for the training to reach its next step (or a store to finish) before the JVM halts. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** The synthetic world's catalog for {@code --world}; null where no launcher handed one in. */
    private final WorldCatalogSource worldCatalog;

    /** Without the synthetic world: {@code --world} is refused. */
    public CodebookTrainCommand() {
        this(null);
    }

    public CodebookTrainCommand(WorldCatalogSource worldCatalog) {
        this.worldCatalog = worldCatalog;
    }

    @Mixin
    ConfigOptions configOptions;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--input",
            paramLabel = "FILE",
            description = "Embeddings of the catalog, .fvecs (int32 dim + float32 values per vector, little-endian).")
    Path input;

    @Option(
            names = "--world",
            paramLabel = "N",
            description = "Instead of --input: the content embeddings of the first N videos of the synthetic world "
                    + "(ingest.simulate.*, seeded); the model defaults to the world's embedding space.")
    Integer world;

    @Option(
            names = "--synthetic",
            paramLabel = "N",
            description = "Instead of --input: N embeddings of the seeded synthetic stand-in catalog (for trials).")
    Integer synthetic;

    @Option(
            names = "--method",
            paramLabel = "kmeans|rqvae",
            description = "Training method (default: sid.codebook-method).")
    String method;

    @Option(names = "--version", paramLabel = "NAME", description = "Codebook version name (default: <model>-<time>).")
    String version;

    @Option(
            names = "--model",
            paramLabel = "NAME",
            description = "Embedding model of the catalog (default: sid.embedding-model).")
    String model;

    @Override
    public Integer call() throws Exception {
        int sources = (input != null ? 1 : 0) + (world != null ? 1 : 0) + (synthetic != null ? 1 : 0);
        if (sources != 1) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "give exactly one of --input FILE, --world N and --synthetic N");
        }
        SidstreamConfig config = configOptions.load();
        SidConfig sid = SidConfig.from(config);
        CodebookMethod how = CodebookMethod.parse(
                method != null ? method : config.section("sid").getString("codebook-method"));
        float[][] catalog;
        String catalogModel = sid.embeddingModel();
        if (input != null) {
            catalog = EmbeddingsFile.read(input);
        } else if (world != null) {
            if (worldCatalog == null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "--world needs the synthetic world, which only the sidstream launcher links; give --input FILE");
            }
            catalog = worldCatalog.embeddings(config, world);
            catalogModel = worldCatalog.embeddingModel(config);
        } else {
            catalog = SyntheticCatalog.standard(sid.seed()).embeddings(synthetic);
        }
        String embeddingModel = model != null ? model : catalogModel;
        String name =
                version != null ? version : embeddingModel + "-" + Instant.now().getEpochSecond();
        CodebookTrainer trainer = CodebookTrainer.of(
                how, KMeansOptions.from(sid), RqVaeOptions.from(config.section("sid")), sid.maxCollisionTokens());
        CodebookTrainer.Trained trained;
        CodebookStore.Stored stored;
        // SIGTERM ends the training at its next step with nothing stored, and never cuts a store short
        try (StopSignal stop = StopSignal.install(STOP_GRACE, false)) {
            System.out.printf(
                    "training %s by %s: %d x %d codes over %d embeddings of %d dimensions%n",
                    name,
                    how.configName(),
                    sid.levels(),
                    sid.codesPerLevel(),
                    catalog.length,
                    catalog.length == 0 ? 0 : catalog[0].length);
            try {
                trained = trainer.train(name, embeddingModel, catalog, Progress.silent(), stop);
            } catch (CancellationException e) {
                System.out.println("stopped: " + e.getMessage());
                return 1;
            }
            stored = new CodebookStore(sid.codebookDir()).save(trained.codebook(), trained.quality());
        }
        System.out.print(trained.quality());
        System.out.printf(
                Locale.ROOT,
                "training time            %.1f s%n",
                trained.trainingTime().toMillis() / 1000.0);
        System.out.println("stored " + stored.file() + " sha256 " + stored.sha256());
        return 0;
    }
}
