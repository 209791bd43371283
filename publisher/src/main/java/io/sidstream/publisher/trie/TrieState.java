package io.sidstream.publisher.trie;

import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.SidEntry;
import io.sidstream.schemas.TrieUpdate;
import io.sidstream.schemas.TrieUpdateKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The valid SIDs per codebook version and what changed since the last update went out. Turns those changes into
 * {@link TrieUpdate}s with gap-free sequence numbers per version: a SNAPSHOT when a version first appears (and on
 * request), DELTAs after it. Not thread-safe: the publisher's one loop owns it.
 */
final class TrieState {

    private final int versionsKept;
    /** Insertion order is age order: the first is the oldest version kept. */
    private final LinkedHashMap<String, Version> versions = new LinkedHashMap<>();
    /** A removed video never comes back, whatever order the two topics are read in. */
    private final Set<String> removed = new HashSet<>();

    TrieState(int versionsKept) {
        this.versionsKept = versionsKept;
    }

    void assign(SidAssigned assigned) {
        String videoId = assigned.getVideoId();
        if (removed.contains(videoId)) {
            return;
        }
        Version version = versions.computeIfAbsent(assigned.getCodebookVersion(), v -> new Version());
        while (versions.size() > versionsKept) {
            versions.remove(versions.keySet().iterator().next());
        }
        SidEntry entry = new SidEntry(
                videoId, List.copyOf(assigned.getCodes()), assigned.getUploadTime(), assigned.getAssignedTime());
        SidEntry before = version.entries.put(videoId, entry);
        if (!entry.equals(before)) {
            version.pendingRemoved.remove(videoId);
            version.pendingAdded.put(videoId, entry);
        }
    }

    void remove(String videoId) {
        removed.add(videoId);
        for (Version version : versions.values()) {
            if (version.entries.remove(videoId) != null) {
                version.pendingAdded.remove(videoId);
                version.pendingRemoved.add(videoId);
            }
        }
    }

    /** Continues a version's numbering after a restart, from the last sequence found on the topic. */
    void resumeSequence(String codebookVersion, long lastSequence) {
        Version version = versions.get(codebookVersion);
        if (version != null) {
            version.sequence = Math.max(version.sequence, lastSequence);
        }
    }

    /**
     * Kept versions as snapshots at their next sequence numbers, in chunks of at most {@code chunkSize}: every
     * version, or only those nothing was published of yet.
     */
    List<TrieUpdate> snapshots(int chunkSize, Instant now, boolean onlyUnannounced) {
        List<TrieUpdate> updates = new ArrayList<>();
        versions.forEach((codebookVersion, version) -> {
            if (onlyUnannounced && version.sequence > 0) {
                return;
            }
            version.sequence++;
            version.pendingAdded.clear();
            version.pendingRemoved.clear();
            List<SidEntry> all = new ArrayList<>(version.entries.values());
            int chunkCount = Math.max(1, (all.size() + chunkSize - 1) / chunkSize);
            for (int chunk = 0; chunk < chunkCount; chunk++) {
                List<SidEntry> part = all.subList(chunk * chunkSize, Math.min(all.size(), (chunk + 1) * chunkSize));
                updates.add(update(
                        codebookVersion,
                        version.sequence,
                        TrieUpdateKind.SNAPSHOT,
                        chunk,
                        chunkCount,
                        new ArrayList<>(part),
                        List.of(),
                        now));
            }
        });
        return updates;
    }

    /** The pending changes of every version as one delta each (versions with none are skipped). */
    List<TrieUpdate> deltas(Instant now) {
        List<TrieUpdate> updates = new ArrayList<>();
        versions.forEach((codebookVersion, version) -> {
            if (version.sequence == 0) {
                return; // a version is introduced by a snapshot, never by a delta
            }
            if (!version.pendingAdded.isEmpty() || !version.pendingRemoved.isEmpty()) {
                version.sequence++;
                updates.add(update(
                        codebookVersion,
                        version.sequence,
                        TrieUpdateKind.DELTA,
                        0,
                        1,
                        new ArrayList<>(version.pendingAdded.values()),
                        new ArrayList<>(version.pendingRemoved),
                        now));
                version.pendingAdded.clear();
                version.pendingRemoved.clear();
            }
        });
        return updates;
    }

    /** Versions that appeared since the last snapshot and so have nothing published yet. */
    boolean hasUnannouncedVersion() {
        return versions.values().stream().anyMatch(v -> v.sequence == 0);
    }

    Collection<String> versions() {
        return List.copyOf(versions.keySet());
    }

    int size(String codebookVersion) {
        Version version = versions.get(codebookVersion);
        return version == null ? 0 : version.entries.size();
    }

    private static TrieUpdate update(
            String codebookVersion,
            long sequence,
            TrieUpdateKind kind,
            int chunkIndex,
            int chunkCount,
            List<SidEntry> added,
            List<String> removedIds,
            Instant now) {
        return TrieUpdate.newBuilder()
                .setCodebookVersion(codebookVersion)
                .setSequence(sequence)
                .setKind(kind)
                .setChunkIndex(chunkIndex)
                .setChunkCount(chunkCount)
                .setAdded(added)
                .setRemovedVideoIds(removedIds)
                .setUpdateTime(now)
                .build();
    }

    private static final class Version {
        final Map<String, SidEntry> entries = new LinkedHashMap<>();
        final Map<String, SidEntry> pendingAdded = new LinkedHashMap<>();
        final Set<String> pendingRemoved = new HashSet<>();
        long sequence;
    }
}
