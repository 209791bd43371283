package io.sidstream.tokenizer.codebook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Codebooks on local disk: {@code <dir>/<version>.codebook} (the binary artifact), {@code <version>.sha256} and
 * {@code <version>.quality.json} beside it. Files are written to a temporary name and moved, so a reader never sees
 * half an artifact.
 */
public final class CodebookStore {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;

    public CodebookStore(Path dir) {
        this.dir = dir;
    }

    /** A stored codebook: where it lies, its bytes' sha256 and its quality report. */
    public record Stored(Path file, String sha256, QualityReport quality) {}

    public Stored save(Codebook codebook, QualityReport quality) {
        byte[] bytes = CodebookFormat.write(codebook);
        String sha = CodebookFormat.sha256(bytes);
        try {
            Files.createDirectories(dir);
            Path file = artifact(codebook.version());
            write(file, bytes);
            write(dir.resolve(codebook.version() + ".sha256"), (sha + "  " + file.getFileName() + "\n").getBytes());
            write(dir.resolve(codebook.version() + ".quality.json"), JSON.writeValueAsBytes(quality));
            return new Stored(file, sha, quality);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store codebook " + codebook.version() + " in " + dir, e);
        }
    }

    /** The stored artifact of a version, its sha256 checked against the sidecar. */
    public Stored load(String version) {
        Path file = artifact(version);
        try {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no codebook " + version + " in " + dir);
            }
            byte[] bytes = Files.readAllBytes(file);
            String sha = CodebookFormat.sha256(bytes);
            String recorded =
                    Files.readString(dir.resolve(version + ".sha256")).trim().split("\\s+")[0];
            if (!sha.equalsIgnoreCase(recorded)) {
                throw new IllegalArgumentException(
                        "codebook " + file + " has sha256 " + sha + ", recorded " + recorded);
            }
            QualityReport quality =
                    JSON.readValue(dir.resolve(version + ".quality.json").toFile(), QualityReport.class);
            return new Stored(file, sha, quality);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read codebook " + version + " from " + dir, e);
        }
    }

    public Path artifact(String version) {
        if (version.contains("/") || version.contains("\\") || version.startsWith(".")) {
            throw new IllegalArgumentException("codebook version '" + version + "' is not a plain file name");
        }
        return dir.resolve(version + ".codebook");
    }

    private static void write(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
