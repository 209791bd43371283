package io.sidstream.trainer.cli;

import ai.djl.Device;
import io.sidstream.core.bench.BenchReport;
import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.trainer.TrainerConfig;
import io.sidstream.trainer.eval.Interaction;
import io.sidstream.trainer.eval.OfflineEvaluator;
import io.sidstream.trainer.eval.PrequentialRunner;
import io.sidstream.trainer.eval.RankingMetrics;
import io.sidstream.trainer.eval.ScriptedWorld;
import io.sidstream.trainer.eval.TsvDataset;
import io.sidstream.trainer.model.DeviceSelector;
import io.sidstream.trainer.train.Budget;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sidstream eval}: offline leave-one-out (or, with {@code --prequential}, a time-ordered replay with cycles)
 * of the model against popularity and co-occurrence baselines. Reads a dataset as two TSV files, or generates the
 * trainer's scripted world.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Offline evaluation: leave-one-out Recall/NDCG@5/10 of the model and baselines, or --prequential.")
public final class EvalCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    EvalOptions eval;

    @Option(names = "--interactions", description = "TSV of user, video, epoch millis. Without it: the scripted world.")
    Path interactionsFile;

    @Option(names = "--sids", description = "TSV of video, comma-separated SID codes (collision token last).")
    Path sidsFile;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the scripted world (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        TrainerConfig config = TrainerConfig.from(configOptions.load());
        List<Interaction> interactions;
        Map<String, List<Integer>> sids;
        if (interactionsFile != null) {
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
        Budget budget = eval.budget();
        if (eval.prequential) {
            List<PrequentialRunner.CycleFigures> figures = new PrequentialRunner(config.model(), config.training(), budget,
                    device, eval.beam, eval.maxCases).run(interactions, sids, eval.cycles);
            double continuous = 0;
            double frozen = 0;
            for (PrequentialRunner.CycleFigures f : figures) {
                System.out.println(cycleJson(f));
                continuous += f.continuous().recallAt10();
                frozen += f.frozen().recallAt10();
            }
            BenchReport report = new BenchReport("eval-prequential").setting("cycles", eval.cycles)
                    .figure("continuous_recall_at_10", continuous / figures.size())
                    .figure("frozen_recall_at_10", frozen / figures.size());
            report.print(System.out);
            return 0;
        }
        OfflineEvaluator.Report result = new OfflineEvaluator(config.model(), config.training(), budget, device, eval.beam)
                .run(interactions, sids);
        BenchReport report = new BenchReport("eval").setting("interactions", interactions.size())
                .setting("training steps", result.training().steps())
                .setting("training seconds", String.format("%.1f", result.training().seconds()));
        metrics(report, "", result.model());
        metrics(report, "popularity_", result.popularity());
        metrics(report, "cooccurrence_", result.cooccurrence());
        report.figure("users", result.users()).figure("items", result.items());
        report.print(System.out);
        return 0;
    }

    private static void metrics(BenchReport report, String prefix, RankingMetrics m) {
        report.figure(prefix + "recall_at_5", m.recallAt5()).figure(prefix + "recall_at_10", m.recallAt10())
                .figure(prefix + "ndcg_at_5", m.ndcgAt5()).figure(prefix + "ndcg_at_10", m.ndcgAt10());
    }

    private static String cycleJson(PrequentialRunner.CycleFigures f) {
        return String.format(java.util.Locale.ROOT,
                "{\"cycle\":%d,\"cases\":%d,\"continuous_recall_at_10\":%.4f,\"frozen_recall_at_10\":%.4f,"
                        + "\"continuous_ndcg_at_10\":%.4f,\"frozen_ndcg_at_10\":%.4f,\"cold_cases\":%d,"
                        + "\"continuous_cold_recall_at_10\":%.4f,\"frozen_cold_recall_at_10\":%.4f}",
                f.cycle(), f.continuous().cases(), f.continuous().recallAt10(), f.frozen().recallAt10(),
                f.continuous().ndcgAt10(), f.frozen().ndcgAt10(), f.continuousCold().cases(),
                f.continuousCold().recallAt10(), f.frozenCold().recallAt10());
    }
}
