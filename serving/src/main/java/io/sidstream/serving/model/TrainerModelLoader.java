package io.sidstream.serving.model;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.checkpoint.CheckpointAnnouncer;
import io.sidstream.model.checkpoint.CheckpointStore.StoredCheckpoint;
import io.sidstream.model.checkpoint.ExampleFiles;
import io.sidstream.model.checkpoint.LocalCheckpointStore;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.schemas.CheckpointPublished;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.serving.trie.ServingTrie;
import io.sidstream.trainer.cycle.CycleRunner;
import io.sidstream.trainer.publish.OfflineTable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a trainer checkpoint an announcement names: a {@code file://} URI of a version directory whose manifest must
 * hash to the announced sha256, every file of which must match the manifest; the model is built for the announced
 * codebook version, on the CPU. Any mismatch throws with the reason, and the {@link ModelHolder} keeps the old model.
 */
public final class TrainerModelLoader implements ModelLoader {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PARAMETERS = SidRecModel.PARAMETERS_FILE;
    static final String MODEL_JSON = "model.json";
    static final String REPLAY = "replay.avro";
    static final String HOLDOUT = "holdout.avro";

    private final ServingTrie trie;
    private final Device device;
    private final Clock clock;

    public TrainerModelLoader(ServingTrie trie, Device device, Clock clock) {
        this.trie = trie;
        this.device = device;
        this.clock = clock;
    }

    @Override
    public ServingModel load(CheckpointPublished announcement) throws Exception {
        URI uri = URI.create(announcement.getUri());
        if (!"file".equals(uri.getScheme())) {
            throw new IllegalArgumentException("checkpoint URI " + uri + " is not a file:// URI; only the local store is supported");
        }
        Path dir = Path.of(uri);
        Path manifest = dir.resolve(LocalCheckpointStore.MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new IOException("checkpoint " + dir + " has no " + LocalCheckpointStore.MANIFEST);
        }
        String manifestSha = sha256(manifest);
        if (!manifestSha.equalsIgnoreCase(announcement.getManifestSha256())) {
            throw new IOException("manifest of " + dir + " has sha256 " + manifestSha + ", the announcement says "
                    + announcement.getManifestSha256());
        }
        StoredCheckpoint checkpoint = LocalCheckpointStore.openDirectory(dir)
                .orElseThrow(() -> new IOException("checkpoint " + dir + " cannot be opened"));
        // every file, not only the ones loaded: a damaged checkpoint is refused as a whole
        for (String name : checkpoint.manifest().keySet()) {
            try (InputStream in = checkpoint.open(name)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }
        String codebook = announcement.getCodebookVersion();
        if (!codebook.equals(checkpoint.meta().codebookVersion())) {
            throw new IOException("checkpoint " + dir + " was trained on codebook " + checkpoint.meta().codebookVersion()
                    + ", the announcement says " + codebook);
        }
        ModelConfig config;
        try (InputStream in = checkpoint.open(MODEL_JSON)) {
            config = JSON.readValue(in, ModelConfig.class);
        }
        List<String> popular = popular(checkpoint);
        Map<String, List<ServingModel.Scored>> offline = new HashMap<>();
        if (checkpoint.has(OfflineTable.FILE)) {
            try (InputStream in = checkpoint.open(OfflineTable.FILE)) {
                OfflineTable.read(in).forEach((video, recs) -> offline.put(video, recs.stream()
                        .map(r -> new ServingModel.Scored(r.videoId(), r.score())).toList()));
            }
        }
        TrainerServingModel.Novelty novelty = novelty(checkpoint);
        SidRecModel model;
        Path tmp = Files.createTempFile("serving-params", ".bin");
        try {
            try (InputStream in = checkpoint.open(PARAMETERS)) {
                Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            model = SidRecModel.load(config, codebook, device, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
        try {
            return new TrainerServingModel(new ServingModel.Info(announcement.getModelName(), announcement.getVersion(),
                    codebook, announcement.getPublishedTime()), model, trie, popular, offline, novelty, clock);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * The published versions beside the rejected one in its store (the parent directory of its URI), older than it,
     * newest first. Each becomes an announcement of its own: the manifest's sha256 is taken from the file, since no
     * announcement vouches for it; {@link #load} still checks every file against that manifest.
     */
    @Override
    public List<CheckpointPublished> olderVersions(CheckpointPublished rejected) {
        URI uri = URI.create(rejected.getUri());
        if (!"file".equals(uri.getScheme())) {
            return List.of();
        }
        Path store = Path.of(uri).getParent();
        if (store == null || !Files.isDirectory(store)) {
            return List.of();
        }
        List<Path> versions;
        try (java.util.stream.Stream<Path> entries = Files.list(store)) {
            versions = entries.filter(p -> p.getFileName().toString().matches("v\\d+"))
                    .filter(p -> CheckpointAnnouncer.versionNumber(p.getFileName().toString()) < rejected.getVersion())
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed()).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list checkpoint store " + store, e);
        }
        List<CheckpointPublished> older = new ArrayList<>();
        for (Path dir : versions) {
            try {
                LocalCheckpointStore.openDirectory(dir).filter(c -> c.meta().published()).ifPresent(c -> older.add(
                        CheckpointPublished.newBuilder()
                                .setModelName(rejected.getModelName())
                                .setVersion(CheckpointAnnouncer.versionNumber(c.meta().version()))
                                .setUri(dir.toUri().toString())
                                .setManifestSha256(sha256(dir.resolve(LocalCheckpointStore.MANIFEST)))
                                .setCodebookVersion(c.meta().codebookVersion())
                                .setMetrics(c.meta().metrics())
                                .setDataWatermark(java.time.Instant.ofEpochMilli(c.meta().watermarkMillis()))
                                .setParentVersion(c.meta().parent() == null ? null
                                        : CheckpointAnnouncer.versionNumber(c.meta().parent()))
                                .setPublishedTime(java.time.Instant.ofEpochMilli(c.meta().createdAtMillis()))
                                .build()));
            } catch (RuntimeException e) {
                // unreadable meta: a damaged version, skipped like one that fails to load
            }
        }
        return older;
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file, e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The novelty mix of a checkpoint: its trained videos and its {@code novel_share} metric; null (single-trie
     * decoding) for a checkpoint that lacks either, as older ones do.
     */
    static TrainerServingModel.Novelty novelty(StoredCheckpoint checkpoint) {
        Double share = checkpoint.meta().metrics().get(CycleRunner.NOVEL_SHARE);
        if (share == null || !(share >= 0 && share <= 1)) {
            return null;
        }
        return CycleRunner.readTrainedVideos(checkpoint)
                .map(trained -> new TrainerServingModel.Novelty(trained, share)).orElse(null);
    }

    /** Videos by how often they were the target of an example the checkpoint keeps, most first. */
    static List<String> popular(StoredCheckpoint checkpoint) throws IOException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String file : List.of(REPLAY, HOLDOUT)) {
            if (checkpoint.has(file)) {
                try (InputStream in = checkpoint.open(file)) {
                    for (TrainingExample e : ExampleFiles.read(in)) {
                        counts.merge(e.getTargetVideoId(), 1, Integer::sum);
                    }
                }
            }
        }
        List<String> videos = new ArrayList<>(counts.keySet());
        videos.sort(Comparator.comparing((String v) -> -counts.get(v)).thenComparing(v -> v));
        return videos;
    }
}
