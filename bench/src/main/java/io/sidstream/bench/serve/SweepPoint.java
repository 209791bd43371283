package io.sidstream.bench.serve;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One point of a sweep: its size, whether it was measured or computed from another point's per-SID costs, and its
 * figures (keys carry units). Printed as a table and one JSON line ({@code "point": {"live_sids": N}}), which
 * {@link io.sidstream.core.bench.BenchReport} cannot nest, hence this small writer.
 */
final class SweepPoint {

    final String benchmark;
    final long liveSids;
    final boolean estimate;
    final Map<String, Object> figures = new LinkedHashMap<>();

    SweepPoint(String benchmark, long liveSids, boolean estimate) {
        this.benchmark = benchmark;
        this.liveSids = liveSids;
        this.estimate = estimate;
    }

    SweepPoint put(String key, double value) {
        figures.put(key, value);
        return this;
    }

    SweepPoint put(String key, String value) {
        figures.put(key, value);
        return this;
    }

    Double number(String key) {
        return figures.get(key) instanceof Double d ? d : null;
    }

    void print(java.io.PrintStream out) {
        out.printf(
                Locale.ROOT,
                "point live_sids=%,d%s%n",
                liveSids,
                estimate ? " (ESTIMATE from per-SID costs, not measured)" : "");
        figures.forEach((k, v) -> out.printf(Locale.ROOT, "  %-36s %s%n", k, format(v)));
        out.println(json());
    }

    String json() {
        StringBuilder b = new StringBuilder("{\"benchmark\":\"")
                .append(benchmark)
                .append("\",\"point\":{\"live_sids\":")
                .append(liveSids)
                .append("},\"estimate\":")
                .append(estimate);
        figures.forEach((k, v) -> {
            b.append(",\"").append(k).append("\":");
            b.append(v instanceof Double ? format(v) : "\"" + v.toString().replace("\"", "\\\"") + "\"");
        });
        return b.append('}').toString();
    }

    static String format(Object value) {
        if (value instanceof Double d) {
            double rounded = Math.abs(d) >= 100 ? Math.round(d) : Math.round(d * 1000.0) / 1000.0;
            return rounded == Math.rint(rounded) ? Long.toString((long) rounded) : Double.toString(rounded);
        }
        return String.valueOf(value);
    }
}
