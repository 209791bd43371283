package io.sidstream.core.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What every {@code sidstream bench <name>} prints (see BENCHMARKS.md): a readable table of its figures and, as the
 * very last line, one JSON object of the same figures, keys carrying their unit ({@code events_per_s},
 * {@code accept_p99_ms}). Figures that do not apply on this machine are left out, never written as zero.
 */
public final class BenchReport {

    private final String name;
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final Map<String, String> context = new LinkedHashMap<>();

    public BenchReport(String name) {
        this.name = name;
    }

    /**
     * A number the benchmark measured; in the JSON line rounded to 3 decimals, or to 4 significant digits below 1
     * (recall and NDCG figures of a few percent differ in their fourth decimal).
     */
    public BenchReport figure(String key, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(key + " is not a finite number: " + value);
        }
        figures.put(key, value);
        return this;
    }

    /** A text figure (such as {@code device=cpu}). */
    public BenchReport figure(String key, String value) {
        figures.put(key, value);
        return this;
    }

    /** {@code <prefix>_p50_ms} and {@code <prefix>_p99_ms} from a histogram recorded in microseconds. */
    public BenchReport latencyMillis(String prefix, Histogram micros) {
        figure(prefix + "_p50_ms", micros.getValueAtPercentile(50) / 1000.0);
        figure(prefix + "_p99_ms", micros.getValueAtPercentile(99) / 1000.0);
        return this;
    }

    /** A line of the table that is not a figure: the settings the run used (rate, batch size, seconds). */
    public BenchReport setting(String key, Object value) {
        context.put(key, String.valueOf(value));
        return this;
    }

    public Map<String, Object> figures() {
        return Map.copyOf(figures);
    }

    public void print(PrintStream out) {
        out.println("benchmark " + name);
        context.forEach((key, value) -> out.printf(Locale.ROOT, "  %-36s %s%n", key, value));
        out.println("  " + "-".repeat(50));
        figures.forEach((key, value) -> out.printf(Locale.ROOT, "  %-36s %s%n", key, format(value)));
        out.println(json());
    }

    /** The last line: one JSON object with the figures in the order they were added. */
    public String json() {
        StringBuilder json = new StringBuilder("{\"benchmark\":\"").append(name).append('"');
        figures.forEach((key, value) -> {
            json.append(",\"").append(key).append("\":");
            if (value instanceof Double number) {
                json.append(format(number));
            } else {
                json.append('"')
                        .append(value.toString().replace("\\", "\\\\").replace("\"", "\\\""))
                        .append('"');
            }
        });
        return json.append('}').toString();
    }

    private static String format(Object value) {
        if (value instanceof Double number) {
            double rounded = Math.abs(number) < 1 && number != 0
                    ? new java.math.BigDecimal(number)
                            .round(new java.math.MathContext(4))
                            .doubleValue()
                    : Math.round(number * 1000.0) / 1000.0;
            return rounded == Math.rint(rounded) && Math.abs(rounded) < 1e15
                    ? Long.toString((long) rounded)
                    : Double.toString(rounded);
        }
        return value.toString();
    }

    /**
     * CPU time of this whole process (broker, job, bench threads): per record it is what a phase costs whatever share
     * of a shared machine's cores it got, so phases can be compared when their wall-clock rates cannot.
     */
    public static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
