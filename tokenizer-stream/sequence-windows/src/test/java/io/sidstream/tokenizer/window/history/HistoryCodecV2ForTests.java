package io.sidstream.tokenizer.window.history;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The format-2 encoder as it was before format 3, kept only to produce the state that checkpoints of running jobs
 * still hold, and the size format 3 is measured against.
 *
 * <pre>
 * user:  u8 version (2) | i64 lastActivity | i64 expiryTimer | i32 count | entry*
 * entry: i32 bodyLength | i64 eventTime | str eventId | str videoId | u8 codes | i32* sid | str codebookVersion
 *        | str eventType | u8 watchBucket | str surface | str device          (str: u16 length, UTF-8 bytes)
 * </pre>
 */
final class HistoryCodecV2ForTests {

    private HistoryCodecV2ForTests() {}

    static byte[] encode(long lastActivity, long expiryTimer, List<HistoryEntry> entries) {
        List<byte[]> encoded = new ArrayList<>(entries.size());
        int size = 1 + 8 + 8 + 4;
        for (HistoryEntry entry : entries) {
            byte[] bytes = encodeEntry(entry);
            encoded.add(bytes);
            size += bytes.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put((byte) 2).putLong(lastActivity).putLong(expiryTimer).putInt(entries.size());
        for (byte[] entry : encoded) {
            out.put(entry);
        }
        return out.array();
    }

    private static byte[] encodeEntry(HistoryEntry entry) {
        byte[] eventId = utf8(entry.eventId);
        byte[] videoId = utf8(entry.videoId);
        byte[] codebook = utf8(entry.codebookVersion);
        byte[] eventType = utf8(entry.eventType.name());
        byte[] surface = utf8(entry.surface.name());
        byte[] device = utf8(entry.device.name());
        int body = 8
                + 2
                + eventId.length
                + 2
                + videoId.length
                + 1
                + 4 * entry.sid.length
                + 2
                + codebook.length
                + 2
                + eventType.length
                + 1
                + 2
                + surface.length
                + 2
                + device.length;
        ByteBuffer out = ByteBuffer.allocate(4 + body);
        out.putInt(body).putLong(entry.eventTime);
        putString(out, eventId);
        putString(out, videoId);
        out.put((byte) entry.sid.length);
        for (int code : entry.sid) {
            out.putInt(code);
        }
        putString(out, codebook);
        putString(out, eventType);
        out.put((byte) entry.watchBucket);
        putString(out, surface);
        putString(out, device);
        return out.array();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void putString(ByteBuffer out, byte[] bytes) {
        out.putShort((short) bytes.length).put(bytes);
    }
}
