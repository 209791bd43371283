package io.sidstream.bench.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A sweep as one self-contained HTML page: one line chart per group of figures against live SIDs, drawn by Chart.js
 * inlined from its webjar (as platform's eval report does; bench cannot link platform, which links bench), so the
 * page opens offline. Estimated points are labelled as such on the x axis.
 */
final class SweepChart {

    private static final String CHART_JS = "/META-INF/resources/webjars/chart.js/4.5.1/dist/chart.umd.min.js";

    /** A chart: its title, y-axis label and the figure keys drawn on it. */
    record Panel(String title, String yLabel, List<String> keys) {}

    private SweepChart() {}

    static void write(Path file, String title, String subtitle, List<SweepPoint> points, List<Panel> panels)
            throws IOException {
        StringBuilder b = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
                .append(title)
                .append("</title><style>body{font-family:sans-serif;margin:2em}.charts{display:grid;")
                .append("grid-template-columns:1fr 1fr;gap:2em}</style>\n<script>")
                .append(chartJs())
                .append("</script></head><body>\n<h1>")
                .append(title)
                .append("</h1><p>")
                .append(subtitle)
                .append("</p>\n")
                .append("<div class=\"charts\">");
        for (int i = 0; i < panels.size(); i++) {
            b.append("<div><canvas id=\"c").append(i).append("\"></canvas></div>");
        }
        b.append("</div>\n<script>\nconst labels=[");
        for (SweepPoint p : points) {
            b.append(String.format(Locale.ROOT, "'%,d%s',", p.liveSids, p.estimate ? " (estimate)" : ""));
        }
        b.append("];\n");
        for (int i = 0; i < panels.size(); i++) {
            Panel panel = panels.get(i);
            b.append("new Chart(document.getElementById('c")
                    .append(i)
                    .append("'),{type:'line',data:{labels,datasets:[");
            for (String key : panel.keys()) {
                b.append("{label:'").append(key).append("',spanGaps:false,data:[");
                for (SweepPoint p : points) {
                    Double v = p.number(key);
                    b.append(v == null ? "null" : SweepPoint.format(v)).append(',');
                }
                b.append("]},");
            }
            b.append("]},options:{plugins:{title:{display:true,text:'")
                    .append(panel.title())
                    .append(
                            "'}},scales:{x:{title:{display:true,text:'live SIDs'}},y:{type:'logarithmic',title:{display:true,text:'")
                    .append(panel.yLabel())
                    .append("'}}}}});\n");
        }
        b.append("</script></body></html>\n");
        Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
    }

    private static String chartJs() {
        try (InputStream in = SweepChart.class.getResourceAsStream(CHART_JS)) {
            if (in == null) {
                throw new IllegalStateException("Chart.js is not on the classpath (" + CHART_JS + ")");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</script", "<\\/script");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CHART_JS, e);
        }
    }
}
