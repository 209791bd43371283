package io.sidstream.bench.sid;

import io.sidstream.core.bench.BenchReport;
import io.sidstream.tokenizer.catalog.SyntheticCatalog;
import io.sidstream.tokenizer.codebook.KMeansOptions;
import io.sidstream.tokenizer.codebook.ResidualKMeans;
import io.sidstream.tokenizer.sid.ResidualQuantizer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sidstream bench quantize}: one thread quantizing 384-d embeddings with a trained 3 x 256 codebook, one embedding
 * at a time (the job's path) and then in batches.
 */
@Command(
        name = "quantize",
        description = "Residual quantizer throughput on one core (3 x 256 codes, 384-d).",
        mixinStandardHelpOptions = true)
public final class QuantizeBench implements Callable<Integer> {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    @Option(
            names = "--seconds",
            description = "Length of the measured run (default ${DEFAULT-VALUE}).",
            defaultValue = "30")
    int seconds;

    @Override
    public Integer call() {
        SyntheticCatalog catalog = SyntheticCatalog.standard(3);
        long trainStart = System.nanoTime();
        ResidualQuantizer quantizer =
                new ResidualKMeans(new KMeansOptions(3, 256, 5, 3, true, 1.5)).train(catalog.embeddings(10_000));
        double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
        float[][] inputs = catalog.embeddings(4096);
        Run single = single(quantizer, inputs);
        Run batched = batched(quantizer, inputs);
        new BenchReport("quantize")
                .setting(
                        "codebook",
                        "3 x 256 x 384, trained on 10,000 synthetic embeddings in "
                                + String.format("%.1f s", trainSeconds))
                .setting("threads", 1)
                .setting("seconds", seconds + " per path")
                .setting(
                        "batch",
                        ResidualQuantizer.BatchScratch.DEFAULT_CAPACITY + " embeddings per pass over the centroids")
                .setting("quantize_per_s", "one embedding at a time (the job's path: one upload per keyed call)")
                .setting("checksums", single.checksum + " single, " + batched.checksum + " batched")
                .setting(
                        "cpu share",
                        String.format(
                                "%.2f single, %.2f batched (thread CPU time / wall time)",
                                single.cpuShare, batched.cpuShare))
                .figure("quantize_per_s", single.perSecond())
                .figure("quantize_us", single.micros())
                .figure("quantize_per_s_batched", batched.perSecond())
                .figure("quantize_us_batched", batched.micros())
                .print(System.out);
        return 0;
    }

    /** {@code cpuShare}: the thread's CPU time over the wall time; below 1 the machine was shared and the figure low. */
    private record Run(long count, double seconds, long checksum, double cpuShare) {
        double perSecond() {
            return count / seconds;
        }

        double micros() {
            return seconds * 1e6 / count;
        }
    }

    /** One embedding at a time, the job's path. */
    private Run single(ResidualQuantizer quantizer, float[][] inputs) {
        int[] out = new int[quantizer.levels()];
        ResidualQuantizer.Scratch scratch = new ResidualQuantizer.Scratch(quantizer);
        return timed(
                from -> {
                    quantizer.quantize(inputs[(int) (from & 4095)], out, scratch);
                    return out[2];
                },
                1);
    }

    /** The same 4,096 inputs in batches. */
    private Run batched(ResidualQuantizer quantizer, float[][] inputs) {
        int capacity = ResidualQuantizer.BatchScratch.DEFAULT_CAPACITY;
        ResidualQuantizer.BatchScratch scratch = new ResidualQuantizer.BatchScratch(quantizer, capacity);
        int[][] out = new int[capacity][quantizer.levels()];
        float[][] batch = new float[capacity][];
        return timed(
                from -> {
                    for (int b = 0; b < capacity; b++) {
                        batch[b] = inputs[(int) ((from + b) & 4095)];
                    }
                    quantizer.quantize(batch, capacity, out, scratch);
                    long sum = 0;
                    for (int b = 0; b < capacity; b++) {
                        sum += out[b][2];
                    }
                    return sum;
                },
                capacity);
    }

    /** Quantizes the inputs from a position on; returns a checksum of the codes, so the work cannot be skipped. */
    private interface Step {
        long run(long from);
    }

    /** Two seconds of warm-up, then {@code --seconds} of steps of {@code perStep} embeddings each. */
    private Run timed(Step step, int perStep) {
        long warmupEnd = System.nanoTime() + 2_000_000_000L;
        for (long i = 0; System.nanoTime() < warmupEnd; i += perStep) {
            step.run(i);
        }
        long count = 0;
        long checksum = 0;
        long start = System.nanoTime();
        long cpuStart = CPU.getCurrentThreadCpuTime();
        long end = start + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            for (int j = 0; j < 1024; j += perStep) {
                checksum += step.run(count);
                count += perStep;
            }
        }
        long wall = System.nanoTime() - start;
        return new Run(count, wall / 1e9, checksum, (CPU.getCurrentThreadCpuTime() - cpuStart) / (double) wall);
    }
}
