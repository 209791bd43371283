package io.sidstream.model.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Versioned checkpoints: each version is a set of named files plus its {@link CheckpointMeta} and a manifest with the
 * sha256 of every file. A version becomes visible all at once or not at all. The local directory store implements it;
 * an object store (write the files, then the manifest last) can too.
 */
public interface CheckpointStore {

    /** Writes one file's content. */
    @FunctionalInterface
    interface FileWriter {
        void write(OutputStream out) throws IOException;
    }

    /** The name the next written version gets. */
    String nextVersion();

    /** Writes files and metadata as version {@code meta.version()}; atomic. Older versions beyond retention go. */
    StoredCheckpoint write(CheckpointMeta meta, Map<String, FileWriter> files);

    /** Every complete version, oldest first. */
    List<String> versions();

    Optional<StoredCheckpoint> read(String version);

    default Optional<StoredCheckpoint> latest() {
        List<String> versions = versions();
        return versions.isEmpty() ? Optional.empty() : read(versions.get(versions.size() - 1));
    }

    default Optional<StoredCheckpoint> latestPublished() {
        List<String> versions = versions();
        for (int i = versions.size() - 1; i >= 0; i--) {
            Optional<StoredCheckpoint> c = read(versions.get(i));
            if (c.isPresent() && c.get().meta().published()) {
                return c;
            }
        }
        return Optional.empty();
    }

    /**
     * The newest version whose every file matches its manifest. Newer versions that fail the check are
     * {@link #quarantine quarantined} on the way: they are never warm-started from, served or announced again.
     */
    default Optional<StoredCheckpoint> latestValid() {
        return newestValid(false);
    }

    /** As {@link #latestValid()}, among the versions the gate published. */
    default Optional<StoredCheckpoint> latestValidPublished() {
        return newestValid(true);
    }

    private Optional<StoredCheckpoint> newestValid(boolean publishedOnly) {
        List<String> versions = versions();
        for (int i = versions.size() - 1; i >= 0; i--) {
            String version = versions.get(i);
            StoredCheckpoint checkpoint;
            try {
                checkpoint = read(version).orElse(null);
                if (checkpoint == null || publishedOnly && !checkpoint.meta().published()) {
                    continue;
                }
                checkpoint.verify();
            } catch (IOException | RuntimeException e) {
                quarantine(version, e.getMessage());
                continue;
            }
            return Optional.of(checkpoint);
        }
        return Optional.empty();
    }

    /**
     * Takes a damaged version out of the store's versions, keeping its files aside for forensics; its name is never
     * handed out again by {@link #nextVersion()}.
     */
    void quarantine(String version, String reason);

    /** The quarantined versions, oldest first. */
    List<String> quarantined();

    /** A stored version. */
    interface StoredCheckpoint {
        CheckpointMeta meta();

        /** File name to sha256 (hex) from the manifest. */
        Map<String, String> manifest();

        /** Opens a file after checking its sha256 against the manifest. */
        InputStream open(String name) throws IOException;

        boolean has(String name);

        /** Reads every file of the manifest and checks its sha256; throws with the first mismatch. */
        default void verify() throws IOException {
            for (String name : manifest().keySet()) {
                try (InputStream in = open(name)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            }
        }
    }
}
