package io.sidstream.trainer.publish;

import com.typesafe.config.Config;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.checkpoint.OfflineTableFile;
import io.sidstream.model.checkpoint.OfflineTableFile.Entry;
import io.sidstream.model.decode.ConstrainedBeamSearch;
import io.sidstream.model.decode.Query;
import io.sidstream.model.decode.Recommendation;
import io.sidstream.model.decode.SidTrie;
import io.sidstream.schemas.HistoryItem;
import io.sidstream.schemas.RequestContext;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.trainer.data.Examples;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes the offline recommendations table a published checkpoint carries: for its most engaged videos, "watching X
 * -> recommend Y" precomputed with the model (X as a one-item history, constrained to the videos the trainer knows). A
 * serving node answers a request without history but with a context video from it. Its file and format are model's
 * ({@link OfflineTableFile}).
 */
public final class OfflineTable {

    /** {@code trainer.offline-table}: how many of the most engaged videos get a row, and how many videos a row holds. */
    public record Settings(int videos, int k, int beamWidth) {
        public static final Settings DEFAULT = new Settings(500, 20, 20);

        public Settings {
            if (videos < 0 || k < 1 || beamWidth < k) {
                throw new IllegalArgumentException(
                        "trainer.offline-table: videos >= 0, k >= 1 and beam-width >= k, got " + videos + " / " + k
                                + " / " + beamWidth);
            }
        }

        public static Settings from(SidstreamConfig config) {
            Config c = config.section("trainer.offline-table");
            return new Settings(c.getInt("videos"), c.getInt("k"), c.getInt("beam-width"));
        }
    }

    private OfflineTable() {}

    /** Videos by how often they were an example's target, most first (ties by id). */
    public static List<String> mostEngaged(Collection<TrainingExample> examples, int limit) {
        Map<String, Integer> counts = new HashMap<>();
        examples.forEach(e -> counts.merge(e.getTargetVideoId(), 1, Integer::sum));
        return counts.keySet().stream()
                .sorted(Comparator.comparing((String v) -> -counts.get(v)).thenComparing(v -> v))
                .limit(limit)
                .toList();
    }

    /** The table for {@code videos} (each must be in {@code trie}; others are skipped). */
    public static Map<String, List<Entry>> compute(
            SidRecModel model, SidTrie trie, List<String> videos, Settings settings, long nowMillis) {
        RequestContext context = Examples.neutralContext(nowMillis);
        List<String> rows = new ArrayList<>();
        List<Query> queries = new ArrayList<>();
        for (String video : videos) {
            int[] sid = trie.sidOf(video);
            if (sid == null) {
                continue;
            }
            List<Integer> codes = new ArrayList<>(sid.length);
            for (int code : sid) {
                codes.add(code);
            }
            HistoryItem item = HistoryItem.newBuilder()
                    .setVideoId(video)
                    .setSid(codes)
                    .setEventType(io.sidstream.schemas.EventType.WATCH)
                    .setWatchBucket(0)
                    .setSurface(io.sidstream.schemas.Surface.HOME)
                    .setDevice(io.sidstream.schemas.Device.OTHER)
                    .setTimeGapBucket(0)
                    .setEventTime(java.time.Instant.ofEpochMilli(nowMillis))
                    .build();
            rows.add(video);
            queries.add(new Query(context, List.of(item), Set.of(video)));
        }
        Map<String, List<Entry>> table = new LinkedHashMap<>();
        if (queries.isEmpty()) {
            return table;
        }
        int k = Math.min(settings.k(), Math.max(1, trie.size() - 1));
        List<List<Recommendation>> results =
                new ConstrainedBeamSearch(model).search(queries, trie, Math.max(settings.beamWidth(), k), k);
        for (int i = 0; i < rows.size(); i++) {
            table.put(
                    rows.get(i),
                    results.get(i).stream()
                            .map(r -> new Entry(r.videoId(), r.score()))
                            .toList());
        }
        return table;
    }
}
