package io.sidstream.tokenizer.bench;

import io.sidstream.core.bench.BenchReport;
import io.sidstream.tokenizer.codebook.KMeansOptions;
import io.sidstream.tokenizer.codebook.ResidualKMeans;
import io.sidstream.tokenizer.sid.ResidualQuantizer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sidstream bench quantize}: one thread quantizing 384-d embeddings with a trained 3 x 256 codebook. */
@Command(name = "quantize", description = "Residual quantizer throughput on one core (3 x 256 codes, 384-d).",
        mixinStandardHelpOptions = true)
public final class QuantizeBench implements Callable<Integer> {

    @Option(names = "--seconds", description = "Length of the measured run (default ${DEFAULT-VALUE}).", defaultValue = "30")
    int seconds;

    @Override
    public Integer call() {
        SyntheticCatalog catalog = SyntheticCatalog.standard(3);
        long trainStart = System.nanoTime();
        ResidualQuantizer quantizer = new ResidualKMeans(new KMeansOptions(3, 256, 5, 3, true, 1.5))
                .train(catalog.embeddings(10_000));
        double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
        float[][] inputs = catalog.embeddings(4096);
        int[] out = new int[quantizer.levels()];
        ResidualQuantizer.Scratch scratch = new ResidualQuantizer.Scratch(quantizer);
        long warmupEnd = System.nanoTime() + 2_000_000_000L;
        int i = 0;
        while (System.nanoTime() < warmupEnd) {
            quantizer.quantize(inputs[i++ & 4095], out, scratch);
        }
        long count = 0;
        long checksum = 0;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            for (int j = 0; j < 1024; j++) {
                quantizer.quantize(inputs[(int) (count++ & 4095)], out, scratch);
                checksum += out[2];
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        new BenchReport("quantize")
                .setting("codebook", "3 x 256 x 384, trained on 10,000 synthetic embeddings in "
                        + String.format("%.1f s", trainSeconds))
                .setting("threads", 1)
                .setting("seconds", seconds)
                .setting("checksum", checksum)
                .figure("quantize_per_s", count / elapsed)
                .figure("quantize_us", elapsed * 1e6 / count)
                .print(System.out);
        return 0;
    }
}
