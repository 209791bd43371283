package io.sidstream.serving.model;

import ai.djl.Device;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.checkpoint.CheckpointLayout;
import io.sidstream.model.checkpoint.CheckpointStore.StoredCheckpoint;
import io.sidstream.model.checkpoint.LocalCheckpointStore;
import io.sidstream.model.checkpoint.OfflineTableFile;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.schemas.CheckpointPublished;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.serving.trie.ServingTrie;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a trainer checkpoint an announcement names: a {@code file://} URI of a version directory whose manifest must
 * hash to the announced sha256, every file of which must match the manifest; the model is built for the announced
 * codebook version, on the CPU. Any mismatch throws with the reason, and the {@link ModelHolder} keeps the old model.
 */
public final class TrainerModelLoader implements ModelLoader {

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
            throw new IllegalArgumentException(
                    "checkpoint URI " + uri + " is not a file:// URI; only the local store is supported");
        }
        Path dir = Path.of(uri);
        Path manifest = dir.resolve(CheckpointLayout.MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new IOException("checkpoint " + dir + " has no " + CheckpointLayout.MANIFEST);
        }
        String manifestSha = CheckpointLayout.sha256(manifest);
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
            throw new IOException("checkpoint " + dir + " was trained on codebook "
                    + checkpoint.meta().codebookVersion() + ", the announcement says " + codebook);
        }
        ModelConfig config = CheckpointLayout.readModelConfig(checkpoint);
        List<String> popular = popular(checkpoint);
        Map<String, List<ServingModel.Scored>> offline = new HashMap<>();
        if (checkpoint.has(CheckpointLayout.OFFLINE_TABLE)) {
            try (InputStream in = checkpoint.open(CheckpointLayout.OFFLINE_TABLE)) {
                OfflineTableFile.read(in)
                        .forEach((video, recs) -> offline.put(
                                video,
                                recs.stream()
                                        .map(r -> new ServingModel.Scored(r.videoId(), r.score()))
                                        .toList()));
            }
        }
        TrainerServingModel.Novelty novelty = novelty(checkpoint);
        SidRecModel model = CheckpointLayout.loadModel(checkpoint, config, codebook, device);
        try {
            return new TrainerServingModel(
                    new ServingModel.Info(
                            announcement.getModelName(),
                            announcement.getVersion(),
                            codebook,
                            announcement.getPublishedTime()),
                    model,
                    trie,
                    popular,
                    offline,
                    novelty,
                    clock);
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
                    .filter(p -> CheckpointLayout.versionNumber(p.getFileName().toString()) < rejected.getVersion())
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString())
                            .reversed())
                    .toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot list checkpoint store " + store, e);
        }
        List<CheckpointPublished> older = new ArrayList<>();
        for (Path dir : versions) {
            try {
                LocalCheckpointStore.openDirectory(dir)
                        .filter(c -> c.meta().published())
                        .ifPresent(c -> older.add(CheckpointPublished.newBuilder()
                                .setModelName(rejected.getModelName())
                                .setVersion(
                                        CheckpointLayout.versionNumber(c.meta().version()))
                                .setUri(dir.toUri().toString())
                                .setManifestSha256(CheckpointLayout.sha256(dir.resolve(CheckpointLayout.MANIFEST)))
                                .setCodebookVersion(c.meta().codebookVersion())
                                .setMetrics(c.meta().metrics())
                                .setDataWatermark(
                                        java.time.Instant.ofEpochMilli(c.meta().watermarkMillis()))
                                .setParentVersion(
                                        c.meta().parent() == null
                                                ? null
                                                : CheckpointLayout.versionNumber(
                                                        c.meta().parent()))
                                .setPublishedTime(
                                        java.time.Instant.ofEpochMilli(c.meta().createdAtMillis()))
                                .build()));
            } catch (RuntimeException e) {
                // unreadable meta: a damaged version, skipped like one that fails to load
            }
        }
        return older;
    }

    /**
     * The novelty mix of a checkpoint: its trained videos and its {@code novel_share} metric; null (single-trie
     * decoding) for a checkpoint that lacks either, as older ones do.
     */
    static TrainerServingModel.Novelty novelty(StoredCheckpoint checkpoint) {
        return CheckpointLayout.novelShare(checkpoint.meta())
                .flatMap(share -> CheckpointLayout.readTrainedVideos(checkpoint)
                        .map(trained -> new TrainerServingModel.Novelty(trained, share)))
                .orElse(null);
    }

    /** Videos by how often they were the target of an example the checkpoint keeps, most first. */
    static List<String> popular(StoredCheckpoint checkpoint) throws IOException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String file : List.of(CheckpointLayout.REPLAY, CheckpointLayout.HOLDOUT)) {
            for (TrainingExample e : CheckpointLayout.readExamples(checkpoint, file)) {
                counts.merge(e.getTargetVideoId(), 1, Integer::sum);
            }
        }
        List<String> videos = new ArrayList<>(counts.keySet());
        videos.sort(Comparator.comparing((String v) -> -counts.get(v)).thenComparing(v -> v));
        return videos;
    }
}
