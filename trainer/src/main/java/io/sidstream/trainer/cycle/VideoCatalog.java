package io.sidstream.trainer.cycle;

import io.sidstream.model.decode.NoveltyMix;
import io.sidstream.model.decode.SidTrie;
import io.sidstream.schemas.HistoryItem;
import io.sidstream.schemas.TrainingExample;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The videos the trainer has seen in its examples, with their SIDs: the candidate set of holdout decoding, and what
 * tells a cold-start target (first seen this cycle) from an old one. Kept in every checkpoint as {@code videos.tsv}.
 */
final class VideoCatalog {

    private final Map<String, List<Integer>> sids = new TreeMap<>();

    boolean contains(String videoId) {
        return sids.containsKey(videoId);
    }

    /** The videos, a copy. */
    Set<String> videos() {
        return new HashSet<>(sids.keySet());
    }

    /** Adds every video of the examples; returns nothing, later SIDs of a video win (a re-assignment). */
    void addAll(List<TrainingExample> examples) {
        for (TrainingExample e : examples) {
            for (HistoryItem item : e.getHistory()) {
                sids.put(item.getVideoId(), List.copyOf(item.getSid()));
            }
            sids.put(e.getTargetVideoId(), List.copyOf(e.getTargetSid()));
        }
    }

    SidTrie trie(int sidLength) {
        SidTrie trie = new SidTrie(sidLength);
        live().forEach(trie::add);
        return trie;
    }

    /** The live videos split by whether {@code trained} holds them. */
    NoveltyMix mix(int sidLength, Predicate<String> trained, double novelShare) {
        return NoveltyMix.split(live(), trained, novelShare, sidLength);
    }

    /** Every video with its SID, one video per SID. */
    private Map<String, List<Integer>> live() {
        Map<String, String> holderOf = new TreeMap<>();
        Map<String, List<Integer>> live = new TreeMap<>();
        sids.forEach((video, sid) -> {
            // two videos claiming one SID (a stale assignment): the later id in order keeps it
            String previous = holderOf.put(sid.toString(), video);
            if (previous != null) {
                live.remove(previous);
            }
            live.put(video, sid);
        });
        return live;
    }

    int size() {
        return sids.size();
    }

    void write(OutputStream out) throws IOException {
        Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
        for (Map.Entry<String, List<Integer>> e : sids.entrySet()) {
            w.write(e.getKey());
            w.write('\t');
            w.write(String.join(",", e.getValue().stream().map(String::valueOf).toList()));
            w.write('\n');
        }
        w.flush();
    }

    static VideoCatalog read(InputStream in) throws IOException {
        VideoCatalog catalog = new VideoCatalog();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split("\t");
            List<Integer> sid = new ArrayList<>();
            for (String code : parts[1].split(",")) {
                sid.add(Integer.parseInt(code));
            }
            catalog.sids.put(parts[0], List.copyOf(sid));
        }
        return catalog;
    }
}
