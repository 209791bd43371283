package io.sidstream.platform.eval;

import ai.djl.Device;
import io.sidstream.core.bench.BenchReport;
import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.progress.Progress;
import io.sidstream.model.block.DeviceSelector;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.tokenizer.sid.SidConfig;
import io.sidstream.trainer.TrainerConfig;
import io.sidstream.trainer.eval.Interaction;
import io.sidstream.trainer.eval.OfflineEvaluator;
import io.sidstream.trainer.eval.PrequentialRunner;
import io.sidstream.trainer.eval.ScriptedWorld;
import io.sidstream.trainer.eval.TsvDataset;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sidstream eval}: offline leave-one-out (or, with {@code --prequential}, a time-ordered replay with cycles)
 * of the model against popularity and co-occurrence baselines. Reads a dataset directory end to end ({@code --dataset}:
 * item text to SIDs as the platform makes them, then the protocol of TIGER and SASRec), two TSV files with SIDs made
 * elsewhere, or generates the trainer's scripted world.
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description =
                "Offline evaluation: leave-one-out Recall/NDCG@5/10 of the model and baselines, or --prequential.")
public final class EvalCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    EvalOptions eval;

    /** What a {@code --dataset} run changes from the trainer's defaults: the model chosen on the public sets. */
    static final String DATASET_PROFILE = "eval-dataset.conf";

    @Option(
            names = "--dataset",
            paramLabel = "DIR",
            description = "A dataset directory: the generic replay format "
                    + "(items.jsonl|items.csv with sequences.txt|interactions.csv, each may be .gz) or MovieLens (movies.dat + "
                    + "ratings.dat). Items are embedded, a codebook trained and SIDs assigned as the platform does.")
    Path dataset;

    @Option(
            names = "--embedding-cache",
            paramLabel = "DIR",
            defaultValue = "data/cache/embeddings",
            description =
                    "Where --dataset keeps the text embeddings of a catalogue between runs (default ${DEFAULT-VALUE};"
                            + " 'none' keeps nothing).")
    String embeddingCache;

    @Option(
            names = "--random-sids",
            description = "With --dataset: every item's SID prefix drawn at random (seeded) "
                    + "instead of quantized from its content (TIGER's semantic-vs-random ID ablation).")
    boolean randomSids;

    @Option(
            names = "--interactions",
            description =
                    "TSV of user, video, epoch millis (with --sids). Without it or " + "--dataset: the scripted world.")
    Path interactionsFile;

    @Option(names = "--sids", description = "TSV of video, comma-separated SID codes (collision token last).")
    Path sidsFile;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seed of the scripted world (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        // a dataset run takes the model chosen on the public sets' validation splits (eval-dataset.conf)
        SidstreamConfig loaded = dataset != null ? configOptions.load(DATASET_PROFILE) : configOptions.load();
        TrainerConfig config = TrainerConfig.from(loaded);
        Progress progress = eval.quiet ? Progress.silent() : Progress.console(System.err);
        PrintStream out = System.out;
        List<Interaction> interactions;
        Map<String, List<Integer>> sids;
        ModelConfig model = config.model();
        DatasetSids prepared = null;
        if (dataset != null) {
            if (interactionsFile != null || sidsFile != null) {
                throw new IllegalArgumentException(
                        "--dataset reads the whole dataset: leave out --interactions and --sids");
            }
            SidConfig sid = SidConfig.from(loaded);
            model = model.withSidSpace(sid.levels(), sid.codesPerLevel(), model.collisions());
            prepared = DatasetSids.build(
                    dataset,
                    loaded,
                    embeddingCache.equals("none") ? null : Path.of(embeddingCache),
                    model.collisions(),
                    randomSids,
                    progress);
            describe(prepared, out);
            interactions = prepared.interactions();
            sids = prepared.sids();
        } else if (interactionsFile != null) {
            if (sidsFile == null) {
                throw new IllegalArgumentException("--interactions needs --sids");
            }
            interactions = TsvDataset.interactions(interactionsFile);
            sids = TsvDataset.sids(sidsFile);
        } else {
            ScriptedWorld world = new ScriptedWorld(ScriptedWorld.Params.small(seed));
            interactions = world.interactions();
            sids = world.sids();
        }
        Device device = DeviceSelector.select(config.device());
        boolean datasetRun = dataset != null;
        if (eval.prequential) {
            List<PrequentialRunner.CycleFigures> figures = new PrequentialRunner(
                            model, config.training(), eval.budget(datasetRun), device, eval.beam, eval.maxCases)
                    .run(interactions, sids, eval.cycles);
            double continuous = 0;
            double frozen = 0;
            for (PrequentialRunner.CycleFigures f : figures) {
                out.println(WorldEvalCommand.cycleJson(f));
                continuous += f.continuous().recallAt10();
                frozen += f.frozen().recallAt10();
            }
            new BenchReport("eval-prequential")
                    .setting("cycles", eval.cycles)
                    .figure("continuous_recall_at_10", continuous / figures.size())
                    .figure("frozen_recall_at_10", frozen / figures.size())
                    .print(out);
            return 0;
        }
        OfflineEvaluator.Report result = new OfflineEvaluator(
                        model, config.training(), eval.plan(datasetRun), device, eval.beam, progress)
                .alsoAtBeams(eval.alsoBeams)
                .run(interactions, sids);
        LeaveOneOutTable.print(result, out);
        BenchReport report = LeaveOneOutTable.report("eval", result, eval.beam, device);
        if (prepared != null) {
            report.setting("dataset", dataset)
                    .setting(
                            "codebook",
                            randomSids
                                    ? "random SIDs"
                                    : prepared.method().configName() + " over " + prepared.embeddingSpace());
        }
        if (eval.report != null) {
            new EvalPage(
                            datasetRun ? dataset.getFileName().toString() : "eval",
                            result,
                            prepared == null ? null : prepared.quality(),
                            report,
                            model,
                            config.training())
                    .write(eval.report);
            out.println("report written to " + eval.report.toAbsolutePath());
        }
        report.print(out);
        return 0;
    }

    static void describe(DatasetSids data, PrintStream out) {
        out.printf(
                Locale.ROOT,
                "dataset: %d interactions (%d repeats dropped), %d items, %d malformed lines%n",
                data.interactions().size(),
                data.repeats(),
                data.sids().size(),
                data.malformedCount());
        data.malformed().forEach(line -> out.println("  malformed: " + line));
        out.printf(
                Locale.ROOT,
                "codebook (%s over %s): %s%n",
                data.method().configName(),
                data.embeddingSpace(),
                data.quality());
        StringBuilder phases = new StringBuilder("prepared in");
        data.timings()
                .forEach((phase, seconds) -> phases.append(String.format(Locale.ROOT, " %s %.1f s", phase, seconds)));
        out.println(phases);
    }
}
