package io.sidstream.tokenizer.job;

import io.sidstream.schemas.CodebookPublished;
import io.sidstream.tokenizer.codebook.Codebook;
import io.sidstream.tokenizer.codebook.CodebookFormat;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns a {@code CodebookPublished} announcement into a codebook: the inline payload, or else the artifact at its URI
 * (a local path or {@code file:} URI), checked against the announced sha256 and against the announced shape.
 */
public final class CodebookLoader {

    private CodebookLoader() {}

    public static Codebook load(CodebookPublished announcement) {
        byte[] bytes =
                announcement.getPayload() != null ? bytes(announcement.getPayload()) : fetch(announcement.getUri());
        Codebook codebook = CodebookFormat.readVerified(bytes, announcement.getSha256());
        require(
                codebook.version().equals(announcement.getCodebookVersion()),
                "artifact is version " + codebook.version() + ", announced " + announcement.getCodebookVersion());
        require(
                codebook.embeddingModel().equals(announcement.getEmbeddingModel()),
                "artifact is for embedding model " + codebook.embeddingModel() + ", announced "
                        + announcement.getEmbeddingModel());
        require(
                codebook.dim() == announcement.getEmbeddingDim()
                        && codebook.levels() == announcement.getLevels()
                        && codebook.codesPerLevel() == announcement.getCodesPerLevel(),
                "artifact shape " + codebook.levels() + "x" + codebook.codesPerLevel() + "x" + codebook.dim()
                        + " differs from the announced " + announcement.getLevels() + "x"
                        + announcement.getCodesPerLevel() + "x" + announcement.getEmbeddingDim());
        return codebook;
    }

    private static byte[] fetch(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("announcement has neither a payload nor a uri");
        }
        Path path = uri.startsWith("file:") ? Path.of(URI.create(uri)) : Path.of(uri);
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read codebook artifact " + uri + ": " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
