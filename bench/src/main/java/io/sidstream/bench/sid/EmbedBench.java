package io.sidstream.bench.sid;

import io.sidstream.core.bench.BenchReport;
import io.sidstream.tokenizer.catalog.SyntheticCatalog;
import io.sidstream.tokenizer.embed.OnnxTextEmbedder;
import io.sidstream.tokenizer.embed.TextModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sidstream bench embed}: a text encoder on ONNX Runtime over synthetic titles, batched. For a model other than
 * the float all-MiniLM-L6-v2 it also prints how close its embeddings are to that model's on the same titles.
 */
@Command(
        name = "embed",
        description = "Text embeddings per second (MiniLM on ONNX Runtime, batched titles).",
        mixinStandardHelpOptions = true)
public final class EmbedBench implements Callable<Integer> {

    @Option(
            names = "--seconds",
            description = "Length of the measured run (default ${DEFAULT-VALUE}).",
            defaultValue = "30")
    int seconds;

    @Option(
            names = "--threads",
            description = "ONNX Runtime intra-op threads, 0 for its default (default ${DEFAULT-VALUE}).",
            defaultValue = "0")
    int threads;

    @Option(
            names = "--model",
            description = "Text encoder: all-minilm-l6-v2 or all-minilm-l6-v2-q (default ${DEFAULT-VALUE}).",
            defaultValue = "all-minilm-l6-v2-q")
    String model;

    @Option(names = "--batch", description = "Titles per forward pass (default ${DEFAULT-VALUE}).", defaultValue = "64")
    int batch;

    @Override
    public Integer call() {
        TextModel textModel = TextModel.named(model);
        SyntheticCatalog catalog = SyntheticCatalog.standard(5);
        List<List<String>> batches = new ArrayList<>();
        for (int b = 0; b < 32; b++) {
            List<String> titles = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                titles.add(catalog.nextTitle());
            }
            batches.add(titles);
        }
        BenchReport report = new BenchReport("embed");
        try (OnnxTextEmbedder embedder = OnnxTextEmbedder.open(textModel, threads)) {
            embedder.embed(batches.get(0));
            long single = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                embedder.embed(List.of(batches.get(1).get(i % batch)));
            }
            double singleMs = (System.nanoTime() - single) / 1e6 / 20;
            long count = 0;
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            int b = 0;
            while (System.nanoTime() < end) {
                count += embedder.embed(batches.get(b++ % batches.size())).size();
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            report.setting(
                            "model",
                            textModel.spaceName() + " (" + textModel.dimension()
                                    + "-d), DJL OnnxRuntime, mean pooling + L2")
                    .setting("batch", batch)
                    .setting("intra-op threads", threads == 0 ? "ONNX Runtime default (one per core)" : threads)
                    .setting("seconds", seconds)
                    .figure("embeddings_per_s", count / elapsed)
                    .figure("single_text_ms", singleMs);
            if (textModel != TextModel.MINILM) {
                agreement(embedder, batches, report);
            }
        }
        report.print(System.out);
        return 0;
    }

    /** Cosine between this model's and the float model's embedding of each title. */
    private static void agreement(OnnxTextEmbedder embedder, List<List<String>> batches, BenchReport report) {
        double sum = 0;
        double min = 1;
        int n = 0;
        try (OnnxTextEmbedder reference = OnnxTextEmbedder.open(TextModel.MINILM)) {
            for (List<String> titles : batches) {
                List<float[]> mine = embedder.embed(titles);
                List<float[]> theirs = reference.embed(titles);
                for (int i = 0; i < titles.size(); i++) {
                    double cosine = 0;
                    for (int d = 0; d < mine.get(i).length; d++) {
                        cosine += mine.get(i)[d] * theirs.get(i)[d];
                    }
                    sum += cosine;
                    min = Math.min(min, cosine);
                    n++;
                }
            }
        }
        report.setting("agreement", n + " titles against all-minilm-l6-v2 (both unit vectors)")
                .figure("cosine_to_float_model_mean", sum / n)
                .figure("cosine_to_float_model_min", min);
    }
}
