package io.sidstream.tokenizer.cli;

import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.tokenizer.codebook.CodebookStore;
import io.sidstream.tokenizer.codebook.CodebookTrainer;
import io.sidstream.tokenizer.codebook.EmbeddingsFile;
import io.sidstream.tokenizer.codebook.KMeansOptions;
import io.sidstream.tokenizer.sid.SidConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sidstream codebook train --input catalog.fvecs}: residual k-means over a catalog, stored with its report. */
@Command(name = "train", description = "Train a codebook by residual k-means over a catalog of embeddings (.fvecs) and "
        + "store it, with its quality report, in sid.codebook-dir.", mixinStandardHelpOptions = true)
public final class CodebookTrainCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--input", paramLabel = "FILE",
            description = "Embeddings of the catalog, .fvecs (int32 dim + float32 values per vector, little-endian).")
    Path input;

    @Option(names = "--synthetic", paramLabel = "N",
            description = "Instead of --input: N embeddings of the seeded synthetic stand-in catalog (for trials).")
    Integer synthetic;

    @Option(names = "--version", paramLabel = "NAME", description = "Codebook version name (default: <model>-<time>).")
    String version;

    @Option(names = "--model", paramLabel = "NAME", description = "Embedding model of the catalog (default: sid.embedding-model).")
    String model;

    @Override
    public Integer call() throws Exception {
        SidConfig sid = SidConfig.from(configOptions.load());
        String embeddingModel = model != null ? model : sid.embeddingModel();
        String name = version != null ? version : embeddingModel + "-" + Instant.now().getEpochSecond();
        if ((input == null) == (synthetic == null)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "give exactly one of --input FILE and --synthetic N");
        }
        float[][] catalog = input != null ? EmbeddingsFile.read(input)
                : io.sidstream.tokenizer.bench.SyntheticCatalog.standard(sid.seed()).embeddings(synthetic);
        System.out.printf("training %s: %d x %d codes over %d embeddings of %d dimensions%n", name, sid.levels(),
                sid.codesPerLevel(), catalog.length, catalog.length == 0 ? 0 : catalog[0].length);
        CodebookTrainer.Trained trained = new CodebookTrainer(KMeansOptions.from(sid), sid.maxCollisionTokens())
                .train(name, embeddingModel, catalog);
        CodebookStore.Stored stored = new CodebookStore(sid.codebookDir()).save(trained.codebook(), trained.quality());
        System.out.print(trained.quality());
        System.out.println("stored " + stored.file() + " sha256 " + stored.sha256());
        return 0;
    }
}
