package io.sidstream.bench.serve;

import io.sidstream.model.config.ModelConfig;
import io.sidstream.model.decode.ConstrainedBeamSearch;
import io.sidstream.model.decode.Query;
import io.sidstream.model.decode.SidTrie;
import io.sidstream.publisher.trie.TrieStateProbe;
import io.sidstream.schemas.Device;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.HistoryItem;
import io.sidstream.schemas.RequestContext;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.SidEntry;
import io.sidstream.schemas.Surface;
import io.sidstream.schemas.TrieUpdate;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.HdrHistogram.Histogram;

/** Measures one point of {@code serve-sweep}: prepares {@code n} live SIDs and times the trie and the publisher on them. */
final class TrieSweepPoint {

    private static final int HISTORY = 20;
    private static final int SNAPSHOT_CHUNK = 10_000; // publisher.trie.snapshot-chunk-size's default
    private static final int DELTA_BATCH = 1_000; // changes per delta: ~100 ms of a 10k/s upload stream

    private final ModelConfig config;
    private final ConstrainedBeamSearch search;
    private final int seconds;

    TrieSweepPoint(ModelConfig config, ConstrainedBeamSearch search, int seconds) {
        this.config = config;
        this.search = search;
        this.seconds = seconds;
    }

    /** Decoding over a small trie before any point, so the first point's latency is not the JIT's. */
    void warmUp(int warmupSeconds) {
        int[][] sids = SyntheticSids.draw(1, 10_000, config.levels(), config.codesPerLevel(), config.collisions());
        SidTrie trie = ServeSweepBench.trieOf(ServeSweepBench.entries(sids, Instant.EPOCH), config.sidLength());
        decode(trie, sids, 10, warmupSeconds * 2 / 3);
        decode(trie, sids, 50, warmupSeconds / 3);
    }

    SweepPoint at(int n) {
        SweepPoint point = new SweepPoint("serve-sweep", n, false);
        long setupStarted = System.nanoTime();
        int[][] sids = SyntheticSids.draw(42 + n, n, config.levels(), config.codesPerLevel(), config.collisions());
        List<SidEntry> entries = ServeSweepBench.entries(sids, Instant.parse("2026-01-01T00:00:00Z"));
        point.put("setup_ms", (System.nanoTime() - setupStarted) / 1e6);

        // the decoding trie alone: what a node adds per live SID on top of the snapshot's entries it was handed
        long before = liveHeap();
        long started = System.nanoTime();
        SidTrie trie = ServeSweepBench.trieOf(entries, config.sidLength());
        double applyMs = (System.nanoTime() - started) / 1e6;
        long after = liveHeap();
        point.put("trie_heap_bytes_per_sid", (double) (after - before) / n);
        point.put("trie_heap_mib", (after - before) / (double) (1 << 20));
        point.put("trie_apply_snapshot_ms", applyMs);
        point.put("trie_apply_sids_per_s", n / (applyMs / 1000));

        Decoded beam10 = decode(trie, sids, 10, seconds);
        Decoded beam50 = decode(trie, sids, 50, seconds);
        point.put("beam10_p50_ms", beam10.latency.getValueAtPercentile(50) / 1000.0);
        point.put("beam10_p99_ms", beam10.latency.getValueAtPercentile(99) / 1000.0);
        point.put("beam10_rps", beam10.perSecond);
        point.put("beam50_p50_ms", beam50.latency.getValueAtPercentile(50) / 1000.0);
        point.put("beam50_p99_ms", beam50.latency.getValueAtPercentile(99) / 1000.0);
        point.put("beam50_rps", beam50.perSecond);
        trie = null; // only the publisher's state below, so the two do not share the heap
        publisher(point, sids);
        return point;
    }

    private record Decoded(Histogram latency, double perSecond) {}

    /** One caller back to back (two shared cores: concurrency would only measure the neighbour's load). */
    private Decoded decode(SidTrie trie, int[][] sids, int beam, int durationSeconds) {
        Random random = new Random(99);
        List<Query> queries = new ArrayList<>();
        for (int q = 0; q < 256; q++) {
            queries.add(query(sids, random));
        }
        Histogram latency = new Histogram(3);
        long begin = System.nanoTime();
        long end = begin + durationSeconds * 1_000_000_000L;
        long count = 0;
        while (System.nanoTime() < end) {
            long started = System.nanoTime();
            search.search(List.of(queries.get((int) (count % queries.size()))), trie, beam, 10);
            latency.recordValue(Math.max(1, (System.nanoTime() - started) / 1000));
            count++;
        }
        return new Decoded(latency, count / ((System.nanoTime() - begin) / 1e9));
    }

    private Query query(int[][] sids, Random random) {
        List<HistoryItem> history = new ArrayList<>();
        long time = 0;
        for (int i = 0; i < HISTORY; i++) {
            time += 60_000L * (1 + random.nextInt(600));
            int video = random.nextInt(sids.length);
            history.add(HistoryItem.newBuilder()
                    .setVideoId(SyntheticSids.videoId(video))
                    .setSid(SyntheticSids.codes(sids[video]))
                    .setEventType(EventType.WATCH)
                    .setWatchBucket(random.nextInt(4))
                    .setSurface(Surface.HOME)
                    .setDevice(Device.MOBILE)
                    .setTimeGapBucket(1 + random.nextInt(8))
                    .setEventTime(Instant.ofEpochMilli(time))
                    .build());
        }
        RequestContext context = RequestContext.newBuilder()
                .setSurface(Surface.HOME)
                .setDevice(Device.MOBILE)
                .setCountry("DE")
                .setHourOfDay(12)
                .setContextVideoId(null)
                .build();
        return new Query(context, history, Set.of());
    }

    /**
     * The publisher's state filled with the {@code n} assignments (its catch-up, not timed as a figure), then one full
     * snapshot in 10,000-entry chunks encoded as the records it sends, then deltas of 1,000 changes (900 uploads, 100
     * removals) built and encoded back to back for {@code seconds}.
     */
    private void publisher(SweepPoint point, int[][] sids) {
        Instant time = Instant.parse("2026-01-01T00:00:00Z");
        TrieStateProbe state = new TrieStateProbe();
        long started = System.nanoTime();
        for (int i = 0; i < sids.length; i++) {
            state.assign(new SidAssigned(
                    SyntheticSids.videoId(i),
                    SyntheticSids.codes(sids[i]),
                    ServeSweepBench.CODEBOOK,
                    "bench",
                    time,
                    time));
        }
        point.put("publisher_catch_up_ms", (System.nanoTime() - started) / 1e6);

        started = System.nanoTime();
        long bytes = 0;
        for (TrieUpdate update : state.snapshots(SNAPSHOT_CHUNK, time)) {
            bytes += encodedSize(update);
        }
        double snapshotMs = (System.nanoTime() - started) / 1e6;
        point.put("publisher_snapshot_bytes", (double) bytes);
        point.put("publisher_snapshot_bytes_per_sid", (double) bytes / sids.length);
        point.put("publisher_snapshot_ms", snapshotMs);
        point.put("publisher_snapshot_sids_per_s", sids.length / (snapshotMs / 1000));

        Random random = new Random(7);
        long changes = 0;
        int next = sids.length;
        int removed = 0;
        long begin = System.nanoTime();
        long end = begin + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            for (int i = 0; i < DELTA_BATCH * 9 / 10; i++) {
                int[] sid = sids[random.nextInt(sids.length)].clone();
                sid[sid.length - 1] = random.nextInt(config.collisions()); // the SID space is not what is measured here
                state.assign(new SidAssigned(
                        SyntheticSids.videoId(next++),
                        SyntheticSids.codes(sid),
                        ServeSweepBench.CODEBOOK,
                        "bench",
                        time,
                        time));
            }
            for (int i = 0; i < DELTA_BATCH / 10; i++) {
                state.remove(SyntheticSids.videoId(removed++));
            }
            for (TrieUpdate update : state.deltas(time)) {
                encodedSize(update);
            }
            changes += DELTA_BATCH;
        }
        point.put("publisher_delta_changes_per_s", changes / ((System.nanoTime() - begin) / 1e9));
    }

    private static long encodedSize(TrieUpdate update) {
        try {
            return update.toByteBuffer().remaining();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Heap in use after full collections: the live set, as near as the JVM tells it. */
    static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
