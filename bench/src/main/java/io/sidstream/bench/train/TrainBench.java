package io.sidstream.bench.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.sidstream.core.bench.BenchReport;
import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.model.block.DeviceSelector;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.trainer.TrainerConfig;
import io.sidstream.trainer.data.Examples;
import io.sidstream.trainer.eval.Interaction;
import io.sidstream.trainer.eval.ModelRanker;
import io.sidstream.trainer.train.Budget;
import io.sidstream.trainer.train.ModelTrainer;
import io.sidstream.trainer.train.TrainStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sidstream bench train}: optimizer steps of the model at the configured (default) size on full-length
 * histories, reporting examples/s, tokens/s (a token is one transformer position: an item or the context) and model
 * FLOP utilisation: FLOPs per token (2 per multiply-accumulate, x3 for forward plus backward) x tokens/s over the
 * device's peak.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Training throughput (examples/s, tokens/s) and model FLOP utilisation at the configured size.")
public final class TrainBench implements Callable<Integer> {

    /** FP32 peak of an H100/H200 SXM without tensor cores, which this FP32 model does not use by default. */
    static final double DEFAULT_GPU_PEAK_GFLOPS = 67_000;

    @Mixin
    ConfigOptions configOptions;

    @Option(
            names = "--seconds",
            defaultValue = "30",
            description = "Length of the measured part (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--device", description = "auto, cpu or gpu (default: trainer.device).")
    String device;

    @Option(
            names = "--peak-gflops",
            description =
                    "Peak FP32 GFLOP/s to compute MFU against (default: detected CPU peak, " + "or 67000 for a GPU).")
    Double peakGflops;

    @Override
    public Integer call() {
        TrainerConfig config = TrainerConfig.from(configOptions.load());
        ModelConfig modelConfig = config.model();
        Device chosen = DeviceSelector.select(device != null ? device : config.device());
        Engine.getInstance().setRandomSeed((int) config.training().seed());
        Map<String, List<Integer>> sids = catalog(modelConfig, 1);
        List<TrainingExample> examples =
                fullHistoryExamples(modelConfig, sids, 4 * config.training().batchSize(), 1);
        try (SidRecModel model = SidRecModel.create(modelConfig, "bench", chosen);
                ModelTrainer trainer = new ModelTrainer(model, config.training())
                        .withCatalog(ModelRanker.trieOf(sids, modelConfig.sidLength()))) {
            trainer.train(examples, new Budget(20, Duration.ofSeconds(Math.max(2, seconds / 5)))); // warm-up
            TrainStats stats = trainer.train(examples, new Budget(Long.MAX_VALUE, Duration.ofSeconds(seconds)));
            double flopsPerToken = 3.0 * 2.0 * model.block().forwardMacsPerPosition();
            double achievedGflops = stats.tokensPerSecond() * flopsPerToken / 1e9;
            BenchReport report = new BenchReport("train")
                    .setting("model", modelConfig)
                    .setting("parameters", model.parameterCount())
                    .setting("batch size", config.training().batchSize())
                    .setting("seconds", seconds)
                    .setting("steps", stats.steps())
                    .figure("device", chosen.isGpu() ? "gpu" : "cpu")
                    .figure("examples_per_s", stats.examplesPerSecond())
                    .figure("tokens_per_s", stats.tokensPerSecond())
                    .figure("model_flops_per_token", flopsPerToken)
                    .figure("achieved_gflops_per_s", achievedGflops);
            if (chosen.isGpu()) {
                double peak = peakGflops != null ? peakGflops : DEFAULT_GPU_PEAK_GFLOPS;
                report.setting("assumed peak", peak + " GFLOP/s FP32")
                        .figure("peak_gflops_per_s", peak)
                        .figure("mfu", achievedGflops / peak);
            } else {
                CpuPeak cpu = CpuPeak.detect();
                double peak = peakGflops != null ? peakGflops : cpu.gflops();
                report.setting("assumed peak", peakGflops != null ? peak + " GFLOP/s (given)" : cpu.describe())
                        .figure("peak_gflops_per_s", peak)
                        .figure("mfu_cpu", achievedGflops / peak);
            }
            report.print(System.out);
        }
        return 0;
    }

    private static final int VIDEOS = 5000;

    /** A catalogue of random SIDs. */
    static Map<String, List<Integer>> catalog(ModelConfig config, long seed) {
        Random random = new Random(seed);
        Map<String, List<Integer>> sids = new HashMap<>();
        for (int v = 0; v < VIDEOS; v++) {
            List<Integer> sid = new ArrayList<>();
            for (int level = 0; level < config.levels(); level++) {
                sid.add(random.nextInt(config.codesPerLevel()));
            }
            sid.add(random.nextInt(config.collisions()));
            sids.put("v" + v, sid);
        }
        return sids;
    }

    /** Examples whose history fills every position, so tokens/s counts no padding. */
    static List<TrainingExample> fullHistoryExamples(
            ModelConfig config, Map<String, List<Integer>> sids, int count, long seed) {
        Random random = new Random(seed + 1);
        int videos = VIDEOS;
        List<TrainingExample> out = new ArrayList<>(count);
        for (int e = 0; e < count; e++) {
            List<Interaction> history = new ArrayList<>();
            for (int i = 0; i < config.maxHistory(); i++) {
                history.add(new Interaction("u" + e, "v" + random.nextInt(videos), 60_000L * i));
            }
            Interaction target = new Interaction("u" + e, "v" + random.nextInt(videos), 60_000L * config.maxHistory());
            out.add(Examples.example("u" + e, history, target, sids, "bench"));
        }
        return out;
    }
}
