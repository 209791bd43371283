package io.sidstream.bench.serve;

import io.sidstream.core.bench.BenchReport;
import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.model.decode.ConstrainedBeamSearch;
import io.sidstream.model.decode.ModelSnapshot;
import io.sidstream.model.decode.SidTrie;
import io.sidstream.schemas.SidEntry;
import io.sidstream.trainer.TrainerConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sidstream bench serve-sweep}: how serving's trie and the trie publisher cost as live SIDs grow. Per size:
 * heap per SID of the decoding trie, time to apply a snapshot of that size to it, constrained decoding p50/p99 and
 * requests/s at beam 10 and 50 (in-process, one caller, the default model with random weights: no HTTP, so the
 * figures are the trie's and the model's), and the publisher's snapshot bytes and time and sustained delta rate.
 * Sizes past {@code --measure-up-to} are computed from the largest measured point's per-SID costs and marked
 * {@code "estimate": true}.
 */
@Command(
        name = "serve-sweep",
        mixinStandardHelpOptions = true,
        description =
                "Serving trie and publisher costs at 10k..10M live SIDs: one JSON line per point, then a summary.")
public final class ServeSweepBench implements Callable<Integer> {

    static final String CODEBOOK = "bench-cb";

    @Mixin
    ConfigOptions configOptions;

    @Option(
            names = "--seconds",
            description = "Seconds of each measured phase per point (beam 10, beam 50, deltas). "
                    + "Default: ${DEFAULT-VALUE} (a sweep of four sizes must stay within minutes on two cores).")
    int seconds = 5;

    @Option(names = "--sizes", split = ",", description = "Live SIDs per point. Default: ${DEFAULT-VALUE}.")
    List<Long> sizes = List.of(10_000L, 100_000L, 1_000_000L, 10_000_000L);

    @Option(
            names = "--measure-up-to",
            description = "Largest size measured; larger ones are estimates. " + "Default: ${DEFAULT-VALUE}.")
    long measureUpTo = 1_000_000L;

    @Option(
            names = "--warmup",
            description = "Seconds of decoding before the first point, so C2 has compiled the "
                    + "search. Default: ${DEFAULT-VALUE}.")
    int warmupSeconds = 10;

    @Option(names = "--chart", description = "Write the sweep's charts to this HTML file.")
    Path chart;

    @Override
    public Integer call() throws Exception {
        SidstreamConfig config = configOptions.load();
        io.sidstream.serving.model.InferenceThreads.apply(config);
        ModelConfig modelConfig = TrainerConfig.from(config).model();
        List<SweepPoint> points = new ArrayList<>();
        try (SidRecModel model = SidRecModel.create(modelConfig, CODEBOOK, ai.djl.Device.cpu())) {
            ConstrainedBeamSearch search = new ConstrainedBeamSearch(model, ModelSnapshot.of(model));
            TrieSweepPoint measure = new TrieSweepPoint(modelConfig, search, seconds);
            measure.warmUp(warmupSeconds);
            SweepPoint basis = null;
            for (long size : sizes) {
                SweepPoint point = size <= measureUpTo ? measure.at((int) size) : estimate(basis, size);
                point.print(System.out);
                points.add(point);
                if (!point.estimate) {
                    basis = point;
                }
            }
        }
        if (chart != null) {
            SweepChart.write(
                    chart,
                    "serve-sweep",
                    String.format(
                            Locale.ROOT,
                            "%s, %s; %d s per phase; %s",
                            Instant.now(),
                            machine(),
                            seconds,
                            "noisy: timings on a shared machine"),
                    points,
                    List.of(
                            new SweepChart.Panel(
                                    "Decoding latency (in-process, one caller)",
                                    "ms",
                                    List.of("beam10_p50_ms", "beam10_p99_ms", "beam50_p50_ms", "beam50_p99_ms")),
                            new SweepChart.Panel(
                                    "Throughput",
                                    "per s",
                                    List.of("beam10_rps", "beam50_rps", "publisher_delta_changes_per_s")),
                            new SweepChart.Panel(
                                    "Memory and snapshot size per SID",
                                    "bytes",
                                    List.of("trie_heap_bytes_per_sid", "publisher_snapshot_bytes_per_sid")),
                            new SweepChart.Panel(
                                    "Snapshot build / apply time",
                                    "ms",
                                    List.of("trie_apply_snapshot_ms", "publisher_snapshot_ms", "setup_ms"))));
            System.out.println("chart written to " + chart.toAbsolutePath());
        }
        summary(points).print(System.out);
        return 0;
    }

    /** A size past what is measured: the linear figures scaled from the basis's per-SID costs; latency left out. */
    static SweepPoint estimate(SweepPoint basis, long size) {
        if (basis == null) {
            throw new IllegalArgumentException("no measured point to estimate " + size + " live SIDs from");
        }
        double scale = (double) size / basis.liveSids;
        SweepPoint point = new SweepPoint(basis.benchmark, size, true);
        point.put("basis_live_sids", (double) basis.liveSids);
        point.put("trie_heap_bytes_per_sid", basis.number("trie_heap_bytes_per_sid"));
        point.put("trie_heap_mib", basis.number("trie_heap_mib") * scale);
        point.put("trie_apply_snapshot_ms", basis.number("trie_apply_snapshot_ms") * scale);
        point.put("publisher_snapshot_bytes", basis.number("publisher_snapshot_bytes") * scale);
        point.put("publisher_snapshot_bytes_per_sid", basis.number("publisher_snapshot_bytes_per_sid"));
        point.put("publisher_snapshot_ms", basis.number("publisher_snapshot_ms") * scale);
        point.put("note", "linear in SIDs from the basis point; latency and rates not estimated");
        return point;
    }

    /**
     * The last line: per figure where more is better, the worst ratio of a point to the one before it (for costs per
     * SID, the inverse), so a figure that falls by more than half between adjacent points shows below 0.5.
     */
    static BenchReport summary(List<SweepPoint> points) {
        List<String> better = List.of(
                "beam10_rps",
                "beam50_rps",
                "trie_apply_sids_per_s",
                "publisher_snapshot_sids_per_s",
                "publisher_delta_changes_per_s");
        List<String> costs = List.of(
                "trie_heap_bytes_per_sid", "publisher_snapshot_bytes_per_sid", "beam10_p99_ms", "beam50_p99_ms");
        BenchReport report = new BenchReport("serve-sweep");
        double worst = Double.MAX_VALUE;
        String where = "";
        List<SweepPoint> measured = points.stream().filter(p -> !p.estimate).toList();
        for (int i = 1; i < measured.size(); i++) {
            SweepPoint a = measured.get(i - 1);
            SweepPoint b = measured.get(i);
            for (String key : better) {
                double ratio = b.number(key) / a.number(key);
                if (ratio < worst) {
                    worst = ratio;
                    where = key + " " + a.liveSids + "->" + b.liveSids;
                }
            }
            for (String key : costs) {
                double ratio = a.number(key) / b.number(key);
                if (ratio < worst) {
                    worst = ratio;
                    where = key + " " + a.liveSids + "->" + b.liveSids + " (inverse: a cost grew)";
                }
            }
        }
        report.setting("points measured / estimated", measured.size() + " / " + (points.size() - measured.size()));
        report.setting("machine", machine());
        if (!measured.isEmpty()) {
            SweepPoint last = measured.get(measured.size() - 1);
            report.figure("largest_measured_live_sids", last.liveSids);
            report.figure("largest_beam10_p99_ms", last.number("beam10_p99_ms"));
            report.figure("largest_trie_heap_bytes_per_sid", last.number("trie_heap_bytes_per_sid"));
        }
        if (measured.size() > 1) {
            report.figure("worst_adjacent_ratio", worst);
            report.figure("worst_adjacent_figure", where);
            report.figure("falls_by_more_than_half", String.valueOf(worst < 0.5));
        }
        return report;
    }

    static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, max heap "
                + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB";
    }

    /** The SID entries of a snapshot of {@code sids}, as a node receives them. */
    static List<SidEntry> entries(int[][] sids, Instant time) {
        List<SidEntry> entries = new ArrayList<>(sids.length);
        for (int i = 0; i < sids.length; i++) {
            entries.add(new SidEntry(SyntheticSids.videoId(i), SyntheticSids.codes(sids[i]), time, time));
        }
        return entries;
    }

    static SidTrie trieOf(List<SidEntry> entries, int sidLength) {
        SidTrie trie = new SidTrie(sidLength);
        for (SidEntry entry : entries) {
            trie.add(entry.getVideoId(), entry.getCodes());
        }
        return trie;
    }
}
