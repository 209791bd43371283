package io.sidstream.trainer.publish;

import com.typesafe.config.Config;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.decode.ConstrainedBeamSearch;
import io.sidstream.model.decode.Query;
import io.sidstream.model.decode.Recommendation;
import io.sidstream.model.decode.SidTrie;
import io.sidstream.schemas.HistoryItem;
import io.sidstream.schemas.RequestContext;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.trainer.data.Examples;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The offline recommendations table a checkpoint carries: for its most engaged videos, "watching X -> recommend Y"
 * precomputed with the model (X as a one-item history, constrained to the videos the trainer knows). A serving node
 * answers a request without history but with a context video from it. File {@value #FILE}: one line per X,
 * {@code X<TAB>Y1:score1,Y2:score2,...}, best first.
 */
public final class OfflineTable {

    public static final String FILE = "offline-recommendations.tsv";

    /** {@code trainer.offline-table}: how many of the most engaged videos get a row, and how many videos a row holds. */
    public record Settings(int videos, int k, int beamWidth) {
        public static final Settings DEFAULT = new Settings(500, 20, 20);

        public Settings {
            if (videos < 0 || k < 1 || beamWidth < k) {
                throw new IllegalArgumentException("trainer.offline-table: videos >= 0, k >= 1 and beam-width >= k, got "
                        + videos + " / " + k + " / " + beamWidth);
            }
        }

        public static Settings from(SidstreamConfig config) {
            Config c = config.section("trainer.offline-table");
            return new Settings(c.getInt("videos"), c.getInt("k"), c.getInt("beam-width"));
        }
    }

    public record Entry(String videoId, double score) {
    }

    private OfflineTable() {
    }

    /** Videos by how often they were an example's target, most first (ties by id). */
    public static List<String> mostEngaged(Collection<TrainingExample> examples, int limit) {
        Map<String, Integer> counts = new HashMap<>();
        examples.forEach(e -> counts.merge(e.getTargetVideoId(), 1, Integer::sum));
        return counts.keySet().stream()
                .sorted(Comparator.comparing((String v) -> -counts.get(v)).thenComparing(v -> v))
                .limit(limit).toList();
    }

    /** The table for {@code videos} (each must be in {@code trie}; others are skipped). */
    public static Map<String, List<Entry>> compute(SidRecModel model, SidTrie trie, List<String> videos, Settings settings,
                                                   long nowMillis) {
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
            HistoryItem item = HistoryItem.newBuilder().setVideoId(video).setSid(codes)
                    .setEventType(io.sidstream.schemas.EventType.WATCH).setWatchBucket(0)
                    .setSurface(io.sidstream.schemas.Surface.HOME).setDevice(io.sidstream.schemas.Device.OTHER)
                    .setTimeGapBucket(0).setEventTime(java.time.Instant.ofEpochMilli(nowMillis)).build();
            rows.add(video);
            queries.add(new Query(context, List.of(item), Set.of(video)));
        }
        Map<String, List<Entry>> table = new LinkedHashMap<>();
        if (queries.isEmpty()) {
            return table;
        }
        int k = Math.min(settings.k(), Math.max(1, trie.size() - 1));
        List<List<Recommendation>> results = new ConstrainedBeamSearch(model).search(queries, trie,
                Math.max(settings.beamWidth(), k), k);
        for (int i = 0; i < rows.size(); i++) {
            table.put(rows.get(i), results.get(i).stream().map(r -> new Entry(r.videoId(), r.score())).toList());
        }
        return table;
    }

    public static void write(Map<String, List<Entry>> table, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        for (Map.Entry<String, List<Entry>> row : table.entrySet()) {
            w.write(row.getKey());
            w.write('\t');
            List<String> cells = new ArrayList<>();
            for (Entry e : row.getValue()) {
                cells.add(e.videoId() + ":" + String.format(Locale.ROOT, "%.6f", e.score()));
            }
            w.write(String.join(",", cells));
            w.write('\n');
        }
        w.flush();
    }

    public static Map<String, List<Entry>> read(InputStream in) throws IOException {
        Map<String, List<Entry>> table = new LinkedHashMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            int tab = line.indexOf('\t');
            if (tab < 0) {
                throw new IOException("bad " + FILE + " line (no tab): " + line);
            }
            List<Entry> entries = new ArrayList<>();
            String cells = line.substring(tab + 1);
            if (!cells.isBlank()) {
                for (String cell : cells.split(",")) {
                    int colon = cell.lastIndexOf(':');
                    if (colon < 0) {
                        throw new IOException("bad " + FILE + " cell (no score): " + cell);
                    }
                    entries.add(new Entry(cell.substring(0, colon), Double.parseDouble(cell.substring(colon + 1))));
                }
            }
            table.put(line.substring(0, tab), List.copyOf(entries));
        }
        return table;
    }
}
