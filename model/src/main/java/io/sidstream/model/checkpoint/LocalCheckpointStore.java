package io.sidstream.model.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints in a local directory, one sub-directory per version ({@code v000001}, ...). A version is written
 * aside into a temporary directory, its manifest last, fsynced, then renamed into place, so a crash leaves either the
 * whole version or none (temporaries are swept on open). Retention keeps the newest {@code retain} versions and always
 * the newest published one. A version found damaged is moved whole into {@code quarantine/} with a {@code reason.txt}:
 * kept for forensics, out of every listing, its number never reused (retention does not touch it; delete it by hand
 * once examined).
 */
public final class LocalCheckpointStore implements CheckpointStore {

    private static final Logger LOG = LoggerFactory.getLogger(LocalCheckpointStore.class);
    private static final String MANIFEST = CheckpointLayout.MANIFEST;
    private static final String META = CheckpointLayout.META;
    private static final String PREFIX = CheckpointLayout.VERSION_PREFIX;
    private static final String TMP_PREFIX = ".tmp-";
    /** Where damaged versions are kept, beside the versions. */
    public static final String QUARANTINE = "quarantine";

    static final String REASON = "reason.txt";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final Path root;
    private final int retain;

    public LocalCheckpointStore(Path root, int retain) {
        if (retain < 1) {
            throw new IllegalArgumentException("retain must be >= 1, got " + retain);
        }
        this.root = root;
        this.retain = retain;
        try {
            Files.createDirectories(root);
            try (Stream<Path> entries = Files.list(root)) {
                for (Path leftover : entries.filter(
                                p -> p.getFileName().toString().startsWith(TMP_PREFIX))
                        .toList()) {
                    LOG.warn("removing incomplete checkpoint {}", leftover);
                    deleteTree(leftover);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open checkpoint store " + root, e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public synchronized String nextVersion() {
        // a quarantined number may already have been announced: a new version with it would look like the old one
        long newest = Stream.concat(versions().stream(), quarantined().stream())
                .mapToLong(v -> Long.parseLong(v.substring(PREFIX.length())))
                .max()
                .orElse(0);
        return CheckpointLayout.versionName(newest + 1);
    }

    @Override
    public synchronized void quarantine(String version, String reason) {
        Path from = root.resolve(version);
        if (!Files.isDirectory(from)) {
            return;
        }
        try {
            Path dir = Files.createDirectories(root.resolve(QUARANTINE));
            Path to = dir.resolve(version);
            if (Files.exists(to)) {
                to = dir.resolve(version + "-" + UUID.randomUUID());
            }
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(to.resolve(REASON), String.valueOf(reason) + "\n");
            fsyncDirectory(root);
            CheckpointMetrics.QUARANTINED.inc();
            LOG.error(
                    "checkpoint {} is damaged and was quarantined in {} (never served or trained from again): {}",
                    version,
                    to,
                    reason);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot quarantine damaged checkpoint " + version + " (" + reason + ")", e);
        }
    }

    @Override
    public List<String> quarantined() {
        Path dir = root.resolve(QUARANTINE);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches(PREFIX + "\\d+(-.*)?"))
                    .map(n -> n.contains("-") ? n.substring(0, n.indexOf('-')) : n)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list quarantined checkpoints in " + dir, e);
        }
    }

    @Override
    public synchronized StoredCheckpoint write(CheckpointMeta meta, Map<String, FileWriter> files) {
        Path target = root.resolve(meta.version());
        if (Files.exists(target)) {
            throw new IllegalStateException("checkpoint " + meta.version() + " already exists in " + root);
        }
        Path tmp = root.resolve(TMP_PREFIX + meta.version() + "-" + UUID.randomUUID());
        try {
            Files.createDirectories(tmp);
            Map<String, String> manifest = new TreeMap<>();
            Map<String, FileWriter> all = new LinkedHashMap<>(files);
            all.put(META, out -> JSON.writeValue(out, meta));
            for (Map.Entry<String, FileWriter> file : all.entrySet()) {
                if (file.getKey().equals(MANIFEST) || file.getKey().contains("/")) {
                    throw new IllegalArgumentException("bad checkpoint file name " + file.getKey());
                }
                manifest.put(file.getKey(), writeFile(tmp.resolve(file.getKey()), file.getValue()));
            }
            writeFile(
                    tmp.resolve(MANIFEST),
                    out -> JSON.writeValue(out, Map.of("version", meta.version(), "files", manifest)));
            fsyncDirectory(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IllegalStateException("the file system of " + root + " cannot rename atomically", e);
            }
            fsyncDirectory(root);
        } catch (IOException e) {
            try {
                deleteTree(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException("cannot write checkpoint " + meta.version(), e);
        }
        applyRetention();
        return read(meta.version()).orElseThrow();
    }

    @Override
    public List<String> versions() {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(p ->
                            p.getFileName().toString().startsWith(PREFIX) && Files.isRegularFile(p.resolve(MANIFEST)))
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + root, e);
        }
    }

    @Override
    public Optional<StoredCheckpoint> read(String version) {
        return openDirectory(root.resolve(version));
    }

    /**
     * A version directory read on its own, without opening (and sweeping) its store: how a reader on another machine
     * or process, a serving node, opens the version an announcement names. Empty when it has no manifest.
     */
    public static Optional<StoredCheckpoint> openDirectory(Path dir) {
        if (!Files.isRegularFile(dir.resolve(MANIFEST))) {
            return Optional.empty();
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> manifestJson =
                    JSON.readValue(dir.resolve(MANIFEST).toFile(), Map.class);
            @SuppressWarnings("unchecked")
            Map<String, String> manifest = Map.copyOf((Map<String, String>) manifestJson.get("files"));
            Local checkpoint = new Local(dir, manifest, null);
            CheckpointMeta meta;
            try (InputStream in = checkpoint.open(META)) {
                meta = JSON.readValue(in, CheckpointMeta.class);
            }
            return Optional.of(new Local(dir, manifest, meta));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + dir, e);
        }
    }

    private void applyRetention() {
        List<String> versions = versions();
        String keepPublished = latestPublished().map(c -> c.meta().version()).orElse(null);
        for (int i = 0; i < versions.size() - retain; i++) {
            String version = versions.get(i);
            if (!version.equals(keepPublished)) {
                try {
                    // the manifest goes first so a half-deleted version is never listed
                    Files.deleteIfExists(root.resolve(version).resolve(MANIFEST));
                    deleteTree(root.resolve(version));
                } catch (IOException e) {
                    LOG.warn("cannot delete old checkpoint {}: {}", version, e.toString());
                }
            }
        }
    }

    private static String writeFile(Path path, FileWriter writer) throws IOException {
        MessageDigest sha256 = sha256();
        try (var channel = java.nio.channels.FileChannel.open(
                        path, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
                OutputStream out = new DigestOutputStream(
                        new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel)),
                        sha256)) {
            writer.write(nonClosing(out)); // writers may close what they are given; the fsync below needs it open
            out.flush();
            channel.force(true);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    private static void fsyncDirectory(Path dir) {
        try (var channel = java.nio.channels.FileChannel.open(dir, java.nio.file.StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the rename is still atomic
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private record Local(Path dir, Map<String, String> manifest, CheckpointMeta meta) implements StoredCheckpoint {

        @Override
        public boolean has(String name) {
            return manifest.containsKey(name);
        }

        @Override
        public InputStream open(String name) throws IOException {
            String expected = manifest.get(name);
            if (expected == null) {
                throw new IOException("checkpoint " + dir + " has no file " + name);
            }
            byte[] bytes = Files.readAllBytes(dir.resolve(name));
            String actual = HexFormat.of().formatHex(sha256().digest(bytes));
            if (!actual.equals(expected)) {
                throw new IOException("checkpoint file " + dir.resolve(name) + " has sha256 " + actual
                        + ", manifest says " + expected);
            }
            return new ByteArrayInputStream(bytes);
        }
    }

    /** Lists the versions present, for diagnostics. */
    @Override
    public String toString() {
        return "LocalCheckpointStore[" + root + ", " + new ArrayList<>(versions()) + "]";
    }
}
