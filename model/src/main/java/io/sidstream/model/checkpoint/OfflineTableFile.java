package io.sidstream.model.checkpoint;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The offline recommendations table a published checkpoint carries ({@link CheckpointLayout#OFFLINE_TABLE}): for its
 * most engaged videos, "watching X -> recommend Y" precomputed with the model; a serving node answers a request without
 * history but with a context video from it. One line per X, {@code X<TAB>Y1:score1,Y2:score2,...}, best first. The
 * trainer computes it ({@code trainer.publish.OfflineTable}); this is its file format.
 */
public final class OfflineTableFile {

    /** One recommended video of a row and its score. */
    public record Entry(String videoId, double score) {}

    private OfflineTableFile() {}

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
                throw new IOException("bad " + CheckpointLayout.OFFLINE_TABLE + " line (no tab): " + line);
            }
            List<Entry> entries = new ArrayList<>();
            String cells = line.substring(tab + 1);
            if (!cells.isBlank()) {
                for (String cell : cells.split(",")) {
                    int colon = cell.lastIndexOf(':');
                    if (colon < 0) {
                        throw new IOException("bad " + CheckpointLayout.OFFLINE_TABLE + " cell (no score): " + cell);
                    }
                    entries.add(new Entry(cell.substring(0, colon), Double.parseDouble(cell.substring(colon + 1))));
                }
            }
            table.put(line.substring(0, tab), List.copyOf(entries));
        }
        return table;
    }
}
