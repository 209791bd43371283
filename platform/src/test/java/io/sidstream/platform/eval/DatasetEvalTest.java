package io.sidstream.platform.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sidstream eval --dataset} end to end on a small generated dataset in the generic format (gzip-compressed, as
 * the shared Amazon sets are): item titles through the platform's text encoder, a codebook, SIDs, leave-one-out with
 * epochs, the table, the JSON line and the HTML report; a malformed line is reported with its file and line.
 */
class DatasetEvalTest {

    private static final String[] TOPICS = {
        "wooden train", "plush bear", "board game", "puzzle cube", "race car", "doll house", "kite", "chess set"
    };
    private static final String[] WORDS = {
        "red",
        "blue",
        "classic",
        "deluxe",
        "mini",
        "giant",
        "travel",
        "junior",
        "magnetic",
        "glow",
        "vintage",
        "electric"
    };

    @Test
    void aDatasetDirectoryIsEvaluatedFromItemTextToTheJsonLine(@TempDir Path dir) throws IOException {
        Path data = dir.resolve("toys");
        Files.createDirectories(data);
        int items = writeDataset(data, new Random(11));
        Path report = dir.resolve("report.html");
        Path cache = dir.resolve("cache");
        String[] args = {
            "--dataset",
            data.toString(),
            "--epochs",
            "3",
            "--patience",
            "2",
            "--quiet",
            "--report",
            report.toString(),
            "--embedding-cache",
            cache.toString(),
            "--set",
            "sid.codes-per-level=16",
            "--set",
            "sid.rqvae.batch-size=16",
            "--set",
            "trainer.device=cpu",
            "--set",
            "trainer.model.max-history=10",
            "--set",
            "trainer.model.item-buckets=512",
            "--set",
            "trainer.training.batch-size=32"
        };

        String out = run(args);

        assertThat(out)
                .contains("malformed: sequences.txt.gz:4: item NOT-AN-ITEM (position 2) is not in the items file");
        assertThat(out).contains("dataset: ").contains("1 malformed lines");
        JsonNode figures = CommandOutput.lastJsonLine(out);
        assertThat(figures.get("benchmark").asText()).isEqualTo("eval");
        for (String prefix : List.of("", "popularity_", "cooccurrence_")) {
            for (String metric : List.of("recall_at_5", "recall_at_10", "ndcg_at_5", "ndcg_at_10")) {
                assertThat(figures.get(prefix + metric).asDouble())
                        .as(prefix + metric)
                        .isBetween(0.0, 1.0);
            }
        }
        // 120 users wrote a line, one line was malformed: 119 users, each with >= 3 items, so one case each
        assertThat(figures.get("users").asInt()).isEqualTo(119);
        assertThat(figures.get("items").asInt()).as("items with interactions").isBetween(items / 2, items);
        assertThat(figures.get("validation_cases").asInt()).isEqualTo(119);
        assertThat(figures.get("test_cases").asInt()).isEqualTo(119);
        assertThat(figures.get("train_sequences").asInt()).isEqualTo(119);
        assertThat(figures.get("epochs").asInt()).isBetween(1, 3);
        assertThat(figures.get("best_epoch").asInt())
                .isBetween(1, figures.get("epochs").asInt());
        assertThat(figures.get("validation_recall_at_10").asDouble()).isBetween(0.0, 1.0);
        assertThat(figures.get("tokens_per_s").asDouble()).isPositive();
        // the sequences follow topics, so what users did before says something: the baselines beat chance (10/items)
        assertThat(figures.get("cooccurrence_recall_at_10").asDouble()).isGreaterThan(10.0 / items);

        String html = Files.readString(report);
        assertThat(html)
                .contains("<canvas id=\"loss\">")
                .contains("<canvas id=\"recall\">")
                .contains("co-occurrence")
                .contains("code utilisation L0")
                .contains("new Chart(");
        String curves = html.substring(html.indexOf("const data = ") + 13, html.indexOf(";\nconst axis"));
        JsonNode points = new ObjectMapper().readTree(curves);
        assertThat(points.get("recall")).hasSize(figures.get("epochs").asInt());
        assertThat(points.get("loss")).isNotEmpty();

        try (var cached = Files.list(cache)) {
            assertThat(cached.filter(f -> f.toString().endsWith(".emb")).count())
                    .as("embeddings kept")
                    .isEqualTo(1);
        }
    }

    /**
     * Items titled by topic and words; users who follow one topic through its items in order, with a little noise,
     * plus one line naming an item that does not exist. Returns the number of items.
     */
    private static int writeDataset(Path dir, Random random) throws IOException {
        List<String> items = new ArrayList<>();
        try (PrintStream out = gzip(dir.resolve("items.jsonl.gz"))) {
            for (int t = 0; t < TOPICS.length; t++) {
                for (int i = 0; i < 12; i++) {
                    String id = "T" + t + "I" + i;
                    items.add(id);
                    out.printf(
                            "{\"id\": \"%s\", \"title\": \"%s %s %s\"}%n",
                            id, WORDS[random.nextInt(WORDS.length)], TOPICS[t], WORDS[i % WORDS.length]);
                }
            }
        }
        try (PrintStream out = gzip(dir.resolve("sequences.txt.gz"))) {
            for (int u = 0; u < 120; u++) {
                if (u == 3) {
                    out.println("U" + u + " T0I0 NOT-AN-ITEM T0I2");
                    continue;
                }
                int topic = random.nextInt(TOPICS.length);
                int next = random.nextInt(6);
                int length = 3 + random.nextInt(5);
                java.util.Set<String> sequence = new java.util.LinkedHashSet<>();
                while (sequence.size() < length) {
                    sequence.add(
                            random.nextInt(10) == 0
                                    ? items.get(random.nextInt(items.size()))
                                    : "T" + topic + "I" + (next++ % 12));
                }
                String line = "U" + u + " " + String.join(" ", sequence);
                out.println(line);
            }
        }
        return items.size();
    }

    private static PrintStream gzip(Path file) throws IOException {
        OutputStream out = new GZIPOutputStream(Files.newOutputStream(file));
        return new PrintStream(out, false, StandardCharsets.UTF_8);
    }

    private static String run(String... args) {
        return CommandOutput.run(new EvalCommand(), args);
    }
}
