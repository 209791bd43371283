package io.sidstream.bench.ingest;

import io.sidstream.core.bench.BenchReport;
import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.ingest.world.SyntheticWorld;
import io.sidstream.ingest.world.WorldConfig;
import io.sidstream.ingest.world.WorldEvent;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sidstream bench simulate}: the synthetic world's maximum event rate on one thread, in process (no Kafka):
 * how fast it can feed tests, the trainer's evaluation and the {@code simulate} command.
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = "Maximum event rate of the synthetic world (one thread, no Kafka).")
public final class SimulateBench implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--seconds", description = "Sustained part of the run. Default: ${DEFAULT-VALUE}.")
    int seconds = 30;

    @Override
    public Integer call() {
        WorldConfig config = WorldConfig.from(configOptions.load().section("ingest"));
        SyntheticWorld world = new SyntheticWorld(config);
        long warmupEnd = System.nanoTime() + Math.max(1, Math.min(5, seconds / 5)) * 1_000_000_000L;
        long sink = 0;
        while (System.nanoTime() < warmupEnd) {
            sink += world.next().emittedAt().toEpochMilli();
        }
        long events = 0;
        long uploads = 0;
        long started = System.nanoTime();
        long end = started + seconds * 1_000_000_000L;
        while (true) {
            for (int i = 0; i < 1000; i++) {
                WorldEvent e = world.next();
                events++;
                if (e.isUpload()) {
                    uploads++;
                }
            }
            if (System.nanoTime() >= end) {
                break;
            }
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        new BenchReport("simulate")
                .setting("seed", config.seed())
                .setting("users", config.users())
                .setting("topics", config.topics())
                .setting("embedding dimension", config.embeddingDimension())
                .setting(
                        "uploads per engagement (configured)",
                        config.uploadsPerSecond() / config.engagementsPerSecond())
                .setting("seconds", seconds)
                .setting("checksum", sink % 1000)
                .figure("events_per_s", events / elapsed)
                .figure("uploads_per_s", uploads / elapsed)
                .print(System.out);
        return 0;
    }
}
