package io.sidstream.model.checkpoint;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.checkpoint.CheckpointStore.StoredCheckpoint;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.schemas.TrainingExample;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a checkpoint version holds and how its files are named and read: the contract between the trainer, which
 * writes versions ({@code CycleRunner} through a {@link CheckpointStore}), and a serving node, which reads the version
 * an announcement names. Every name here is on disk in checkpoints already written: changing one breaks loading them.
 *
 * <p>A version directory {@code v000123} holds {@link #MANIFEST} (file name to sha256, written last), {@link #META}
 * ({@link CheckpointMeta}) and the files below; the trainer writes every one of them, older checkpoints may lack
 * {@link #TRAINED_VIDEOS} and {@link #OFFLINE_TABLE} (readers treat them as optional).
 */
public final class CheckpointLayout {

    /** File name to sha256 (hex) of every other file of the version; the announcement carries its own sha256. */
    public static final String MANIFEST = "manifest.json";
    /** The {@link CheckpointMeta}: codebook, watermark, offsets, metrics, published. */
    public static final String META = "meta.json";
    /** The model's parameters, DJL's parameter file format. */
    public static final String PARAMETERS = "parameters.bin";
    /** The {@link ModelConfig} the parameters are for, as Jackson writes the record. */
    public static final String MODEL_JSON = "model.json";
    /** The replay reservoir: examples as an Avro container file ({@link ExampleFiles}). */
    public static final String REPLAY = "replay.avro";
    /** The pending holdout, trained on by the next cycle: an Avro container file ({@link ExampleFiles}). */
    public static final String HOLDOUT = "holdout.avro";
    /** Every video the trainer has seen, with its SID (the trainer's video catalog). */
    public static final String VIDEOS = "videos.tsv";
    /**
     * The videos the model was trained on, one id per line: what serving decodes as the trained group of the novelty
     * mix. {@link #VIDEOS} is not that set: it also holds the videos only the holdout has seen.
     */
    public static final String TRAINED_VIDEOS = "trained-videos.txt";
    /** The offline recommendations table of a published version ({@link OfflineTableFile}). */
    public static final String OFFLINE_TABLE = "offline-recommendations.tsv";
    /** The cycle's result, for people and tools. */
    public static final String CYCLE_RESULT = "cycle.json";
    /** The metric of {@link CheckpointMeta#metrics()} holding the novel share, the novel videos' weight in the mix. */
    public static final String NOVEL_SHARE = "novel_share";
    /** Version directories are this prefix and a number: {@code v000123}. */
    public static final String VERSION_PREFIX = "v";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CheckpointLayout() {}

    /** {@code v000123} -> 123. */
    public static long versionNumber(String name) {
        String digits = name.startsWith(VERSION_PREFIX) ? name.substring(VERSION_PREFIX.length()) : name;
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("checkpoint version '" + name + "' is not v<number>", e);
        }
    }

    /** 123 -> {@code v000123}. */
    public static String versionName(long number) {
        return String.format("%s%06d", VERSION_PREFIX, number);
    }

    /** The sha256 (hex) of a file, as the manifest and the announcement write it. */
    public static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@link #MODEL_JSON} of a version. */
    public static ModelConfig readModelConfig(StoredCheckpoint checkpoint) {
        try (InputStream in = checkpoint.open(MODEL_JSON)) {
            return JSON.readValue(in, ModelConfig.class);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read " + MODEL_JSON + " of " + checkpoint.meta().version(), e);
        }
    }

    /** Writes {@code config} as {@link #MODEL_JSON}. */
    public static void writeModelConfig(ModelConfig config, OutputStream out) throws IOException {
        out.write(JSON.writeValueAsBytes(config));
    }

    /** The model of a version: its {@link #PARAMETERS} loaded into a model of {@code config} on {@code device}. */
    public static SidRecModel loadModel(
            StoredCheckpoint checkpoint, ModelConfig config, String codebookVersion, Device device) {
        try (InputStream in = checkpoint.open(PARAMETERS)) {
            Path tmp = Files.createTempFile("sidrec-params", ".bin");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                return SidRecModel.load(config, codebookVersion, device, tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot load " + PARAMETERS + " of " + checkpoint.meta().version(), e);
        }
    }

    /** Writes {@code model}'s parameters as {@link #PARAMETERS}. */
    public static void writeParameters(SidRecModel model, OutputStream out) throws IOException {
        Path tmp = Files.createTempFile("sidrec-params", ".bin");
        try {
            model.saveParameters(tmp);
            Files.copy(tmp, out);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The examples of {@link #REPLAY} or {@link #HOLDOUT}; empty when the version has no such file. */
    public static List<TrainingExample> readExamples(StoredCheckpoint checkpoint, String name) {
        if (!checkpoint.has(name)) {
            return new ArrayList<>();
        }
        try (InputStream in = checkpoint.open(name)) {
            return new ArrayList<>(ExampleFiles.read(in));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read " + name + " of " + checkpoint.meta().version(), e);
        }
    }

    /** The videos the version's model trained on, if it stores them ({@link #TRAINED_VIDEOS}). */
    public static Optional<Set<String>> readTrainedVideos(StoredCheckpoint checkpoint) {
        if (!checkpoint.has(TRAINED_VIDEOS)) {
            return Optional.empty();
        }
        try (InputStream in = checkpoint.open(TRAINED_VIDEOS)) {
            Set<String> videos = new HashSet<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    videos.add(line.strip());
                }
            }
            return Optional.of(videos);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read " + TRAINED_VIDEOS + " of " + checkpoint.meta().version(), e);
        }
    }

    /** Writes {@code videos} as {@link #TRAINED_VIDEOS}, one id per line. */
    public static void writeTrainedVideos(Iterable<String> videos, OutputStream out) throws IOException {
        out.write((String.join("\n", videos) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The version's {@link #NOVEL_SHARE}, if its metrics hold one in [0, 1] (older versions do not). */
    public static Optional<Double> novelShare(CheckpointMeta meta) {
        Double share = meta.metrics().get(NOVEL_SHARE);
        return share != null && share >= 0 && share <= 1 ? Optional.of(share) : Optional.empty();
    }
}
