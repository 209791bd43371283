package io.sidstream.platform.eval;

import ai.djl.Device;
import io.sidstream.core.bench.BenchReport;
import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.progress.Progress;
import io.sidstream.ingest.world.WorldConfig;
import io.sidstream.model.block.DeviceSelector;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.tokenizer.codebook.KMeansOptions;
import io.sidstream.tokenizer.sid.SidConfig;
import io.sidstream.tokenizer.window.WindowsConfig;
import io.sidstream.trainer.TrainerConfig;
import io.sidstream.trainer.eval.OfflineEvaluator;
import io.sidstream.trainer.eval.PrequentialRunner;
import io.sidstream.trainer.eval.RankingMetrics;
import io.sidstream.trainer.train.Budget;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sidstream eval-world}: the trainer's offline evaluation on the synthetic world, end to end in one JVM. The
 * world ({@code ingest.simulate}) is generated, a codebook is trained on its content embeddings ({@code sid.*}), every
 * video gets a collision-free SID, engagements become positives by {@code windows.positive}, and the model
 * ({@code trainer.model}, its SID space taken from the codebook) is evaluated by leave-one-out against popularity and
 * co-occurrence, or with {@code --prequential} by a time-ordered replay (continuous vs frozen).
 */
@Command(
        name = "eval-world",
        mixinStandardHelpOptions = true,
        description = "Offline evaluation on the synthetic world: Recall/NDCG@5/10 of the model vs popularity and "
                + "co-occurrence, or --prequential (continuous vs frozen).")
public final class WorldEvalCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    EvalOptions eval;

    @Option(names = "--seed", description = "World seed (default: ingest.simulate.seed).")
    Long seed;

    @Option(names = "--users", description = "Users of the world (default: ingest.simulate.users).")
    Integer users;

    @Option(
            names = "--videos",
            description = "Videos uploaded before the start (default: ingest.simulate.initial-videos).")
    Integer videos;

    @Option(names = "--topics", description = "Topics (default: ingest.simulate.topics).")
    Integer topics;

    @Option(names = "--creators", description = "Creators (default: ingest.simulate.creators).")
    Integer creators;

    @Option(
            names = "--engagements",
            defaultValue = "200000",
            description = "Engagements generated, duplicates included (default ${DEFAULT-VALUE}).")
    int engagements;

    @Option(names = "--codes", description = "Codes per codebook level (default: sid.codes-per-level).")
    Integer codes;

    @Option(
            names = "--novelty-mix",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description =
                    "Prequential: decode the mixture of the videos the model trained on and the novel ones, by the"
                            + " novel share the last window showed; --no-novelty-mix decodes one trie (default ${DEFAULT-VALUE}).")
    boolean noveltyMix;

    @Override
    public Integer call() {
        SidstreamConfig config = configOptions.load();
        WorldConfig world = worldConfig(config);
        SidConfig sid = SidConfig.from(config);
        KMeansOptions kMeans = KMeansOptions.from(sid);
        if (codes != null) {
            kMeans = new KMeansOptions(
                    kMeans.levels(),
                    codes,
                    kMeans.iterations(),
                    kMeans.seed(),
                    kMeans.balancing(),
                    kMeans.balanceSlack());
        }
        TrainerConfig trainer = TrainerConfig.from(config);
        ModelConfig model = modelFor(trainer.model(), kMeans);
        WorldDataset data = WorldDataset.generate(
                world,
                engagements,
                kMeans,
                model.collisions(),
                WindowsConfig.from(config).positiveRule());
        describe(data, System.out);
        Device device = DeviceSelector.select(trainer.device());
        Budget budget = eval.budget(false);
        if (eval.prequential) {
            List<PrequentialRunner.CycleFigures> figures = new PrequentialRunner(
                            model,
                            trainer.training(),
                            budget,
                            device,
                            eval.beam,
                            eval.maxCases,
                            data.uploadMillis(),
                            noveltyMix)
                    .run(data.interactions(), data.sids(), eval.cycles);
            prequentialReport(figures, data, System.out);
        } else {
            Progress progress = eval.quiet ? Progress.silent() : Progress.console(System.err);
            OfflineEvaluator.Report result = new OfflineEvaluator(
                            model, trainer.training(), eval.plan(false), device, eval.beam, progress)
                    .alsoAtBeams(eval.alsoBeams)
                    .run(data.interactions(), data.sids());
            LeaveOneOutTable.print(result, System.out);
            BenchReport report = leaveOneOutReport(result, data, world, eval.beam, device);
            if (eval.report != null) {
                new EvalPage(
                                "synthetic world " + world.seed(),
                                result,
                                data.quality(),
                                report,
                                model,
                                trainer.training())
                        .write(eval.report);
                System.out.println("report written to " + eval.report.toAbsolutePath());
            }
            report.print(System.out);
        }
        return 0;
    }

    private WorldConfig worldConfig(SidstreamConfig config) {
        WorldConfig w = WorldConfig.from(config.section("ingest"));
        if (seed != null) {
            w = w.withSeed(seed);
        }
        w = w.withSize(
                topics != null ? topics : w.topics(),
                creators != null ? creators : w.creators(),
                users != null ? users : w.users(),
                videos != null ? videos : w.initialVideos());
        return w;
    }

    /** The trainer's model over the codebook's SID space: levels and codes from the codebook, collisions from the model. */
    static ModelConfig modelFor(ModelConfig m, KMeansOptions kMeans) {
        return m.withSidSpace(kMeans.levels(), kMeans.codes(), m.collisions());
    }

    static void describe(WorldDataset data, PrintStream out) {
        out.printf(
                Locale.ROOT,
                "world: %d engagements (%d repeated event ids dropped), %d positives, %d interactions"
                        + " (first positive per user and video), %d users, %d videos with SIDs, %d without embedding%n",
                data.engagements(),
                data.duplicates(),
                data.positives(),
                data.interactions().size(),
                data.users(),
                data.sids().size(),
                data.videosWithoutEmbedding());
        out.println("codebook: " + data.quality());
    }

    static BenchReport leaveOneOutReport(
            OfflineEvaluator.Report result, WorldDataset data, WorldConfig world, int beam, Device device) {
        return LeaveOneOutTable.report("eval-world", result, beam, device)
                .setting("world seed", world.seed())
                .setting("interactions", data.interactions().size());
    }

    static void prequentialReport(List<PrequentialRunner.CycleFigures> figures, WorldDataset data, PrintStream out) {
        double continuous = 0;
        double frozen = 0;
        out.printf(
                Locale.ROOT,
                "%-6s %7s %12s %12s %6s %12s %12s %12s %12s%n",
                "cycle",
                "cases",
                "cont R@10",
                "frozen R@10",
                "cold",
                "cont cold",
                "frozen cold",
                "cont warm",
                "frozen warm");
        for (PrequentialRunner.CycleFigures f : figures) {
            out.printf(
                    Locale.ROOT,
                    "%-6d %7d %12.4f %12.4f %6d %12.4f %12.4f %12.4f %12.4f%n",
                    f.cycle(),
                    f.continuous().cases(),
                    f.continuous().recallAt10(),
                    f.frozen().recallAt10(),
                    f.continuousCold().cases(),
                    f.continuousCold().recallAt10(),
                    f.frozenCold().recallAt10(),
                    f.continuousWarm().recallAt10(),
                    f.frozenWarm().recallAt10());
        }
        for (PrequentialRunner.CycleFigures f : figures) {
            out.println(cycleJson(f));
            continuous += f.continuous().recallAt10();
            frozen += f.frozen().recallAt10();
        }
        long coldCases =
                figures.stream().mapToLong(f -> f.continuousCold().cases()).sum();
        long warmCases =
                figures.stream().mapToLong(f -> f.continuousWarm().cases()).sum();
        new BenchReport("eval-world-prequential")
                .setting("cycles", figures.size() + 1)
                .setting("interactions", data.interactions().size())
                .figure("continuous_recall_at_10", continuous / figures.size())
                .figure("frozen_recall_at_10", frozen / figures.size())
                .figure("cold_cases", coldCases)
                .figure("continuous_cold_recall_at_10", pooled(figures, PrequentialRunner.CycleFigures::continuousCold))
                .figure("frozen_cold_recall_at_10", pooled(figures, PrequentialRunner.CycleFigures::frozenCold))
                .figure("warm_cases", warmCases)
                .figure("continuous_warm_recall_at_10", pooled(figures, PrequentialRunner.CycleFigures::continuousWarm))
                .figure("frozen_warm_recall_at_10", pooled(figures, PrequentialRunner.CycleFigures::frozenWarm))
                .print(out);
    }

    /** Recall@10 over the cases of every cycle together (cycles weighted by their cases). */
    private static double pooled(
            List<PrequentialRunner.CycleFigures> figures,
            java.util.function.Function<PrequentialRunner.CycleFigures, RankingMetrics> part) {
        double hits = 0;
        long cases = 0;
        for (PrequentialRunner.CycleFigures f : figures) {
            RankingMetrics m = part.apply(f);
            hits += m.recallAt10() * m.cases();
            cases += m.cases();
        }
        return cases == 0 ? 0 : hits / cases;
    }

    static String cycleJson(PrequentialRunner.CycleFigures f) {
        return String.format(
                Locale.ROOT,
                "{\"cycle\":%d,\"cases\":%d,\"continuous_recall_at_10\":%.4f,\"frozen_recall_at_10\":%.4f,"
                        + "\"continuous_ndcg_at_10\":%.4f,\"frozen_ndcg_at_10\":%.4f,\"cold_cases\":%d,"
                        + "\"continuous_cold_recall_at_10\":%.4f,\"frozen_cold_recall_at_10\":%.4f,"
                        + "\"continuous_warm_recall_at_10\":%.4f,\"frozen_warm_recall_at_10\":%.4f}",
                f.cycle(),
                f.continuous().cases(),
                f.continuous().recallAt10(),
                f.frozen().recallAt10(),
                f.continuous().ndcgAt10(),
                f.frozen().ndcgAt10(),
                f.continuousCold().cases(),
                f.continuousCold().recallAt10(),
                f.frozenCold().recallAt10(),
                f.continuousWarm().recallAt10(),
                f.frozenWarm().recallAt10());
    }
}
