package io.sidstream.platform.eval;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Text embeddings of a catalogue kept on disk between evaluation runs: the encoder is the slow part of preparing a
 * dataset and its output depends only on the encoder and the texts, so the file is named by a SHA-256 of both. A file
 * that does not match what is asked (another count or size) is ignored and rewritten.
 */
final class EmbeddingCache {

    private static final int MAGIC = 0x53454d42; // "SEMB"

    private final Path file;
    private final int count;

    EmbeddingCache(Path dir, String space, List<String> texts) {
        this.file = dir.resolve(space + "-" + digest(space, texts) + ".emb");
        this.count = texts.size();
    }

    Path file() {
        return file;
    }

    /** The stored embeddings, or null when there are none for these texts. */
    float[][] read() {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != count) {
                return null;
            }
            int dim = in.readInt();
            float[][] vectors = new float[count][dim];
            for (float[] vector : vectors) {
                for (int d = 0; d < dim; d++) {
                    vector[d] = in.readFloat();
                }
            }
            return vectors;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null; // a truncated or foreign file: embed again and rewrite it
        }
    }

    void write(float[][] vectors) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try (DataOutputStream out =
                    new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                out.writeInt(MAGIC);
                out.writeInt(vectors.length);
                out.writeInt(vectors.length == 0 ? 0 : vectors[0].length);
                for (float[] vector : vectors) {
                    for (float v : vector) {
                        out.writeFloat(v);
                    }
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the embedding cache " + file, e);
        }
    }

    private static String digest(String space, List<String> texts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(space.getBytes(StandardCharsets.UTF_8));
            for (String text : texts) {
                sha.update((byte) 0);
                sha.update(text.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
