package io.sidstream.tokenizer.codebook;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A catalog of embeddings in the {@code .fvecs} format of FAISS and the ANN benchmarks: per vector, its dimension as
 * a little-endian int32, then that many little-endian float32.
 */
public final class EmbeddingsFile {

    private EmbeddingsFile() {}

    public static float[][] read(Path file) throws IOException {
        List<float[]> vectors = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            DataInputStream data = new DataInputStream(in);
            byte[] header = new byte[4];
            int dim = -1;
            while (true) {
                try {
                    data.readFully(header);
                } catch (EOFException end) {
                    break;
                }
                int d = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
                if (d < 1 || d > 1 << 16 || (dim != -1 && d != dim)) {
                    throw new IOException(file + ": vector " + vectors.size() + " has dimension " + d
                            + (dim == -1 ? "" : ", earlier ones " + dim));
                }
                dim = d;
                byte[] body = new byte[d * 4];
                try {
                    data.readFully(body);
                } catch (EOFException e) {
                    throw new IOException(file + ": vector " + vectors.size() + " is truncated", e);
                }
                float[] v = new float[d];
                ByteBuffer.wrap(body)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .asFloatBuffer()
                        .get(v);
                vectors.add(v);
            }
        }
        return vectors.toArray(new float[0][]);
    }

    public static void write(Path file, float[][] vectors) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            for (float[] v : vectors) {
                ByteBuffer buffer = ByteBuffer.allocate(4 + v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                buffer.putInt(v.length);
                buffer.asFloatBuffer().put(v);
                out.write(buffer.array());
            }
        }
    }
}
