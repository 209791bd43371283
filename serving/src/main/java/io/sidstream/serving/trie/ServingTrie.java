package io.sidstream.serving.trie;

import io.sidstream.schemas.SidEntry;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The valid SIDs per codebook version as a serving node sees them: written by one {@link TrieSubscriber}, read by
 * any number of request threads.
 */
public final class ServingTrie {

    private final Map<String, Version> versions = new ConcurrentHashMap<>();
    private final List<TrieListener> listeners = new CopyOnWriteArrayList<>();
    private volatile Instant lastUpdateTime = Instant.EPOCH;

    public void addListener(TrieListener listener) {
        listeners.add(listener);
    }

    public void removeListener(TrieListener listener) {
        listeners.remove(listener);
    }

    /** The valid SIDs of a version now: a copy, taken entry by entry while updates may be applied. */
    public List<SidEntry> entries(String codebookVersion) {
        Version version = versions.get(codebookVersion);
        return version == null ? List.of() : List.copyOf(version.entries.values());
    }

    public Set<String> versions() {
        return Set.copyOf(versions.keySet());
    }

    public Optional<List<Integer>> sid(String codebookVersion, String videoId) {
        Version version = versions.get(codebookVersion);
        return version == null
                ? Optional.empty()
                : Optional.ofNullable(version.entries.get(videoId)).map(SidEntry::getCodes);
    }

    public int size(String codebookVersion) {
        Version version = versions.get(codebookVersion);
        return version == null ? 0 : version.entries.size();
    }

    /** The sequence of the last update applied to a version; 0 when it has none yet. */
    public long sequence(String codebookVersion) {
        Version version = versions.get(codebookVersion);
        return version == null ? 0 : version.sequence;
    }

    /** When the publisher sent the newest update applied here: a node whose trie stops moving shows it here. */
    public Instant lastUpdateTime() {
        return lastUpdateTime;
    }

    void replace(String codebookVersion, long sequence, Collection<SidEntry> entries, Instant updateTime) {
        Version version = new Version(sequence);
        entries.forEach(e -> version.entries.put(e.getVideoId(), e));
        versions.put(codebookVersion, version);
        lastUpdateTime = updateTime;
        listeners.forEach(l -> l.replaced(codebookVersion, entries));
    }

    void apply(
            String codebookVersion,
            long sequence,
            Collection<SidEntry> added,
            Collection<String> removed,
            Instant updateTime) {
        Version version = versions.get(codebookVersion);
        added.forEach(e -> version.entries.put(e.getVideoId(), e));
        removed.forEach(version.entries::remove);
        version.sequence = sequence;
        lastUpdateTime = updateTime;
        listeners.forEach(l -> l.changed(codebookVersion, added, removed));
    }

    void retainVersions(Collection<String> kept) {
        versions.keySet().retainAll(kept);
    }

    private static final class Version {
        final Map<String, SidEntry> entries = new ConcurrentHashMap<>();
        volatile long sequence;

        Version(long sequence) {
            this.sequence = sequence;
        }
    }
}
