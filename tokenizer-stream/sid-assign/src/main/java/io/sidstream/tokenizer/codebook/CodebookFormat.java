package io.sidstream.tokenizer.codebook;

import io.sidstream.tokenizer.sid.ResidualQuantizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The codebook file: a small header (magic, format version, codebook version, embedding model, shape, collision
 * bound, creation time) followed by every level's centroids (K x D row-major) and code offsets (K), little-endian
 * float32. About 1.2 MB
 * at 3 x 256 x 384, small enough to travel inline in a {@code CodebookPublished} record.
 *
 * <p>Format 2 (an RQ-VAE codebook) has the same header and levels, the shape being the latent space's, followed by
 * the encoder and the decoder (per network: layer count, then per layer inputs, outputs, weights, bias). A codebook
 * without an autoencoder is still written as format 1, so readers that predate format 2 keep reading it.
 */
public final class CodebookFormat {

    static final int MAGIC = 0x53494443; // "SIDC"
    static final int FORMAT_VERSION = 1;
    static final int FORMAT_VERSION_AUTOENCODER = 2;
    private static final int MAX_FLOATS = 64 * 1024 * 1024;
    private static final int MAX_LAYERS = 16;

    private CodebookFormat() {}

    public static byte[] write(Codebook codebook) {
        ResidualQuantizer q = codebook.quantizer();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + q.levels() * q.codesPerLevel() * q.dim() * 4);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(codebook.autoencoder() == null ? FORMAT_VERSION : FORMAT_VERSION_AUTOENCODER);
            out.writeUTF(codebook.version());
            out.writeUTF(codebook.embeddingModel());
            out.writeInt(q.dim());
            out.writeInt(q.levels());
            out.writeInt(q.codesPerLevel());
            out.writeInt(codebook.maxCollisionTokens());
            out.writeLong(codebook.createdAt().toEpochMilli());
            for (int l = 0; l < q.levels(); l++) {
                out.write(floats(q.centroids(l)));
                out.write(floats(q.offsets(l)));
            }
            if (codebook.autoencoder() != null) {
                writeMlp(out, codebook.autoencoder().encoder());
                writeMlp(out, codebook.autoencoder().decoder());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a codebook file; a truncated, foreign or inconsistent file is an {@link IllegalArgumentException}. */
    public static Codebook read(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            if (data.length < 8 || in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a sidstream codebook file (bad magic)");
            }
            int format = in.readInt();
            if (format != FORMAT_VERSION && format != FORMAT_VERSION_AUTOENCODER) {
                throw new IllegalArgumentException("codebook format version " + format + " is not supported");
            }
            String version = in.readUTF();
            String model = in.readUTF();
            int dim = in.readInt();
            int levels = in.readInt();
            int codes = in.readInt();
            int maxCollision = in.readInt();
            Instant created = Instant.ofEpochMilli(in.readLong());
            if (dim < 1 || levels < 1 || codes < 1 || (long) dim * levels * codes > MAX_FLOATS) {
                throw new IllegalArgumentException(
                        "codebook shape " + levels + " x " + codes + " x " + dim + " is invalid");
            }
            float[][] centroids = new float[levels][];
            float[][] offsets = new float[levels][];
            for (int l = 0; l < levels; l++) {
                centroids[l] = readFloats(in, codes * dim);
                offsets[l] = readFloats(in, codes);
            }
            Autoencoder autoencoder =
                    format == FORMAT_VERSION_AUTOENCODER ? new Autoencoder(readMlp(in), readMlp(in)) : null;
            if (in.available() > 0) {
                throw new IllegalArgumentException("codebook file has " + in.available() + " trailing bytes");
            }
            return new Codebook(
                    version, model, maxCollision, created, new ResidualQuantizer(dim, centroids, offsets), autoencoder);
        } catch (IOException e) {
            throw new IllegalArgumentException("codebook file is truncated: " + e.getMessage(), e);
        }
    }

    private static void writeMlp(DataOutputStream out, Mlp mlp) throws IOException {
        out.writeInt(mlp.layers().size());
        for (Mlp.Layer layer : mlp.layers()) {
            out.writeInt(layer.inputs());
            out.writeInt(layer.outputs());
            out.write(floats(layer.weights()));
            out.write(floats(layer.bias()));
        }
    }

    private static Mlp readMlp(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 1 || count > MAX_LAYERS) {
            throw new IllegalArgumentException("codebook network has " + count + " layers");
        }
        List<Mlp.Layer> layers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int inputs = in.readInt();
            int outputs = in.readInt();
            if (inputs < 1 || outputs < 1 || (long) inputs * outputs > MAX_FLOATS) {
                throw new IllegalArgumentException(
                        "codebook network layer " + inputs + " x " + outputs + " is invalid");
            }
            layers.add(new Mlp.Layer(inputs, outputs, readFloats(in, inputs * outputs), readFloats(in, outputs)));
        }
        return new Mlp(layers);
    }

    private static byte[] floats(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    private static float[] readFloats(DataInputStream in, int count) throws IOException {
        byte[] bytes = new byte[count * 4];
        in.readFully(bytes);
        float[] values = new float[count];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** Reads a codebook after checking it against the sha256 its announcement carries. */
    public static Codebook readVerified(byte[] data, String expectedSha256) {
        String actual = sha256(data);
        if (!actual.equalsIgnoreCase(expectedSha256)) {
            throw new IllegalArgumentException("codebook sha256 is " + actual + ", announced " + expectedSha256);
        }
        return read(data);
    }
}
