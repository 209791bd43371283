package io.sidstream.tokenizer.window.shuffle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Strings as a varint length and UTF-8 bytes: the ids the job moves are ASCII, for which the JDK's UTF-8 coding is
 * an array copy, several times cheaper than {@code writeUTF} or Flink's char-by-char {@code StringValue} format.
 * A null is length 0 with a marker bit.
 */
final class Utf8 {

    private Utf8() {}

    static void write(String s, DataOutputView out) throws IOException {
        if (s == null) {
            out.writeByte(1);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeVarInt(bytes.length << 1, out);
        out.write(bytes);
    }

    static String read(DataInputView in) throws IOException {
        int header = readVarInt(in);
        if ((header & 1) != 0) {
            return null;
        }
        byte[] bytes = new byte[header >>> 1];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static void copy(DataInputView in, DataOutputView out) throws IOException {
        int header = readVarInt(in);
        writeVarInt(header, out);
        if ((header & 1) == 0) {
            out.write(in, header >>> 1);
        }
    }

    static void writeVarInt(int value, DataOutputView out) throws IOException {
        while ((value & ~0x7F) != 0) {
            out.writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    static int readVarInt(DataInputView in) throws IOException {
        int value = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            int b = in.readUnsignedByte();
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IOException("malformed varint");
    }
}
