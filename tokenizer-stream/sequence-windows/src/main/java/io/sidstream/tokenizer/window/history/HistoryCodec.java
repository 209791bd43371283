package io.sidstream.tokenizer.window.history;

import io.sidstream.schemas.Device;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.Surface;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's history as one compact byte array: the state is read and written whole on every engagement, and a
 * hand-written encoding is several times cheaper than Flink's reflective POJO serializer for a list of up to 50
 * entries (with RocksDB every access serializes; on the heap a copy-on-write copy is one array clone). The first
 * byte is the format version; enums are written by name so new symbols in the contracts do not shift them.
 */
public final class HistoryCodec {

    static final byte VERSION = 1;

    private HistoryCodec() {
    }

    public static byte[] encode(List<HistoryEntry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + entries.size() * 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeShort(entries.size());
            for (HistoryEntry entry : entries) {
                out.writeUTF(entry.eventId);
                out.writeUTF(entry.videoId);
                out.writeByte(entry.sid.length);
                for (int code : entry.sid) {
                    out.writeInt(code);
                }
                out.writeUTF(entry.codebookVersion);
                out.writeUTF(entry.eventType.name());
                out.writeByte(entry.watchBucket);
                out.writeUTF(entry.surface.name());
                out.writeUTF(entry.device.name());
                out.writeLong(entry.eventTime);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static List<HistoryEntry> decode(byte[] encoded) {
        if (encoded == null) {
            return new ArrayList<>();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("unknown history state format " + version);
            }
            int size = in.readUnsignedShort();
            List<HistoryEntry> entries = new ArrayList<>(size + 1);
            for (int i = 0; i < size; i++) {
                HistoryEntry entry = new HistoryEntry();
                entry.eventId = in.readUTF();
                entry.videoId = in.readUTF();
                entry.sid = new int[in.readUnsignedByte()];
                for (int c = 0; c < entry.sid.length; c++) {
                    entry.sid[c] = in.readInt();
                }
                entry.codebookVersion = in.readUTF();
                entry.eventType = EventType.valueOf(in.readUTF());
                entry.watchBucket = in.readByte();
                entry.surface = Surface.valueOf(in.readUTF());
                entry.device = Device.valueOf(in.readUTF());
                entry.eventTime = in.readLong();
                entries.add(entry);
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
