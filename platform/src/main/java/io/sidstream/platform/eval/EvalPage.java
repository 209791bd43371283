package io.sidstream.platform.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sidstream.core.bench.BenchReport;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.tokenizer.codebook.QualityReport;
import io.sidstream.trainer.eval.OfflineEvaluator;
import io.sidstream.trainer.eval.RankingMetrics;
import io.sidstream.trainer.train.TrainingSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/**
 * The HTML page of {@code eval --report FILE.html}: the results table, the codebook's quality and the training curves
 * (loss and validation Recall@10 against steps) drawn by Chart.js, which is inlined from its webjar so the page is one
 * self-contained file that opens offline.
 */
final class EvalPage {

    private static final String CHART_JS = "/META-INF/resources/webjars/chart.js/4.5.1/dist/chart.umd.min.js";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String title;
    private final OfflineEvaluator.Report result;
    private final QualityReport quality;
    private final BenchReport figures;
    private final ModelConfig model;
    private final TrainingSettings training;

    EvalPage(
            String title,
            OfflineEvaluator.Report result,
            QualityReport quality,
            BenchReport figures,
            ModelConfig model,
            TrainingSettings training) {
        this.title = title;
        this.result = result;
        this.quality = quality;
        this.figures = figures;
        this.model = model;
        this.training = training;
    }

    void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Files.writeString(file, html(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + file, e);
        }
    }

    String html() {
        StringBuilder b = new StringBuilder();
        b.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>sidstream eval: ")
                .append(escape(title))
                .append("</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;")
                .append("text-align:right}th:first-child,td:first-child,td:nth-child(2){text-align:left}")
                .append(
                        ".charts{display:grid;grid-template-columns:1fr 1fr;gap:2em}pre{background:#f6f6f6;padding:1em;")
                .append("overflow-x:auto}</style>\n<script>")
                .append(chartJs())
                .append("</script></head><body>\n");
        b.append("<h1>sidstream eval: ")
                .append(escape(title))
                .append("</h1>\n<p>")
                .append(escape(String.format(
                        Locale.ROOT,
                        "%s; %d users, %d items; leave-one-out, full ranking, seen "
                                + "items filtered; %d training steps in %.0f s (%.0f real tokens/s), %d epochs, best %d; "
                                + "%d cores (%s %s).",
                        Instant.now(),
                        result.users(),
                        result.items(),
                        result.training().steps(),
                        result.training().seconds(),
                        result.training().tokensPerSecond(),
                        result.epochs().size(),
                        result.bestEpoch(),
                        Runtime.getRuntime().availableProcessors(),
                        System.getProperty("os.name"),
                        System.getProperty("os.arch"))))
                .append("</p>\n<h2>Results</h2>\n<table><tr><th>ranker</th><th>target</th><th>Recall@5</th>")
                .append("<th>Recall@10</th><th>NDCG@5</th><th>NDCG@10</th></tr>\n");
        row(b, "model", "validation", result.validationModel());
        row(b, "popularity", "validation", result.validationPopularity());
        row(b, "co-occurrence", "validation", result.validationCooccurrence());
        row(b, "model", "test", result.model());
        row(b, "popularity", "test", result.popularity());
        row(b, "co-occurrence", "test", result.cooccurrence());
        for (OfflineEvaluator.BeamFigures beam : result.otherBeams()) {
            row(b, "model beam " + beam.beam(), "validation", beam.validation());
            row(b, "model beam " + beam.beam(), "test", beam.test());
        }
        b.append("</table>\n<h2>Training curves</h2>\n<div class=\"charts\"><div><canvas id=\"loss\"></canvas></div>")
                .append("<div><canvas id=\"recall\"></canvas></div></div>\n");
        if (quality != null) {
            b.append("<h2>Codebook</h2>\n<pre>")
                    .append(escape(quality.toString()))
                    .append("</pre>\n");
        }
        b.append("<h2>Model and training</h2>\n<pre>")
                .append(escape(model.toString()))
                .append('\n')
                .append(escape(training.toString()))
                .append("</pre>\n<h2>Figures</h2>\n<pre>")
                .append(escape(figures.json()))
                .append("</pre>\n<script>\nconst data = ")
                .append(curves())
                .append(";\n")
                .append(CHARTS)
                .append("</script></body></html>\n");
        return b.toString();
    }

    private static final String CHARTS = """
            const axis = (title) => ({type: 'linear', title: {display: true, text: title}});
            new Chart(document.getElementById('loss'), {type: 'line',
              data: {datasets: [{label: 'training loss (mean of the steps since the previous point)',
                data: data.loss, borderColor: '#1f77b4', pointRadius: 0, borderWidth: 1.5}]},
              options: {parsing: false, animation: false, scales: {x: axis('optimizer step'), y: axis('loss')}}});
            new Chart(document.getElementById('recall'), {type: 'line',
              data: {datasets: [{label: 'validation Recall@10 after each epoch', data: data.recall,
                borderColor: '#d62728', pointRadius: 3}]},
              options: {parsing: false, animation: false, scales: {x: axis('optimizer step'),
                y: axis('Recall@10')}}});
            """;

    private String curves() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode loss = root.putArray("loss");
        result.losses().forEach(p -> loss.addObject().put("x", p.step()).put("y", p.loss()));
        ArrayNode recall = root.putArray("recall");
        result.epochs().forEach(p -> recall.addObject().put("x", p.step()).put("y", p.validationRecallAt10()));
        // the JSON goes into a script element: "</" must not close it
        return root.toString().replace("</", "<\\/");
    }

    private static void row(StringBuilder b, String ranker, String target, RankingMetrics m) {
        b.append(String.format(
                Locale.ROOT,
                "<tr><td>%s</td><td>%s</td><td>%.4f</td><td>%.4f</td><td>%.4f</td>" + "<td>%.4f</td></tr>%n",
                ranker,
                target,
                m.recallAt5(),
                m.recallAt10(),
                m.ndcgAt5(),
                m.ndcgAt10()));
    }

    private static String chartJs() {
        try (InputStream in = EvalPage.class.getResourceAsStream(CHART_JS)) {
            if (in == null) {
                throw new IllegalStateException("Chart.js is not on the classpath (" + CHART_JS + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</script", "<\\/script");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CHART_JS, e);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
