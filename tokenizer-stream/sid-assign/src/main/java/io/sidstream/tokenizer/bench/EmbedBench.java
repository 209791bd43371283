package io.sidstream.tokenizer.bench;

import io.sidstream.core.bench.BenchReport;
import io.sidstream.tokenizer.embed.OnnxTextEmbedder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sidstream bench embed}: all-MiniLM-L6-v2 on ONNX Runtime over synthetic titles, batched. */
@Command(name = "embed", description = "Text embeddings per second (all-MiniLM-L6-v2, ONNX Runtime, batched titles).",
        mixinStandardHelpOptions = true)
public final class EmbedBench implements Callable<Integer> {

    @Option(names = "--seconds", description = "Length of the measured run (default ${DEFAULT-VALUE}).", defaultValue = "30")
    int seconds;

    @Option(names = "--threads", description = "ONNX Runtime intra-op threads, 0 for its default (default ${DEFAULT-VALUE}).",
            defaultValue = "0")
    int threads;

    @Option(names = "--batch", description = "Titles per forward pass (default ${DEFAULT-VALUE}).", defaultValue = "64")
    int batch;

    @Override
    public Integer call() {
        SyntheticCatalog catalog = SyntheticCatalog.standard(5);
        try (OnnxTextEmbedder embedder = OnnxTextEmbedder.miniLm("all-minilm-l6-v2", threads)) {
            List<List<String>> batches = new ArrayList<>();
            for (int b = 0; b < 32; b++) {
                List<String> titles = new ArrayList<>();
                for (int i = 0; i < batch; i++) {
                    titles.add(catalog.nextTitle());
                }
                batches.add(titles);
            }
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
            new BenchReport("embed")
                    .setting("model", "all-MiniLM-L6-v2 (384-d), DJL OnnxRuntime, mean pooling + L2")
                    .setting("batch", batch)
                    .setting("intra-op threads", threads == 0 ? "ONNX Runtime default (one per core)" : threads)
                    .setting("seconds", seconds)
                    .figure("embeddings_per_s", count / elapsed)
                    .figure("single_text_ms", singleMs)
                    .print(System.out);
        }
        return 0;
    }
}
