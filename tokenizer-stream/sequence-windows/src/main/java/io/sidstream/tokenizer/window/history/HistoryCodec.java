package io.sidstream.tokenizer.window.history;

import io.sidstream.schemas.Device;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.Surface;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A user's state as one compact byte array: last activity, expiry timer and history entries. It is read and written
 * whole on every engagement (with RocksDB every access serializes), so the format is built to be changed without
 * being decoded: each entry is prefixed with its length and starts with its event time, so finding an engagement's
 * place is a scan of longs and inserting it is two array copies ({@link StoredHistory}); entries are decoded only
 * for an example. The first byte is the format version; enums are written by name so new symbols in the contracts
 * do not shift them.
 *
 * <pre>
 * user:  u8 version | i64 lastActivity | i64 expiryTimer | i32 count | entry*
 * entry: i32 bodyLength | i64 eventTime | str eventId | str videoId | u8 codes | i32* sid | str codebookVersion
 *        | str eventType | u8 watchBucket | str surface | str device          (str: u16 length, UTF-8 bytes)
 * </pre>
 */
public final class HistoryCodec {

    static final byte VERSION = 2;
    static final int HEADER_SIZE = 1 + 8 + 8 + 4;
    static final int COUNT_OFFSET = 1 + 8 + 8;
    /** The expiry timer of a user without one. */
    static final long NO_TIMER = Long.MIN_VALUE;

    private static final byte[][] EVENT_TYPE_NAMES = names(EventType.values());
    private static final byte[][] SURFACE_NAMES = names(Surface.values());
    private static final byte[][] DEVICE_NAMES = names(Device.values());

    private HistoryCodec() {
    }

    /** A state of just these entries (no activity recorded, no timer). */
    public static byte[] encode(List<HistoryEntry> entries) {
        List<byte[]> encoded = new ArrayList<>(entries.size());
        for (HistoryEntry entry : entries) {
            encoded.add(encodeEntry(entry));
        }
        return assemble(Long.MIN_VALUE, NO_TIMER, encoded);
    }

    /** The entries of a state; none for no state. */
    public static List<HistoryEntry> decode(byte[] encoded) {
        StoredHistory stored = StoredHistory.of(encoded);
        List<HistoryEntry> entries = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            entries.add(stored.entry(i));
        }
        return entries;
    }

    static byte[] assemble(long lastActivity, long expiryTimer, List<byte[]> entries) {
        int size = HEADER_SIZE;
        for (byte[] entry : entries) {
            size += entry.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        writeHeader(out, lastActivity, expiryTimer, entries.size());
        for (byte[] entry : entries) {
            out.put(entry);
        }
        return out.array();
    }

    static void writeHeader(ByteBuffer out, long lastActivity, long expiryTimer, int count) {
        out.put(VERSION).putLong(lastActivity).putLong(expiryTimer).putInt(count);
    }

    static void checkVersion(byte[] encoded) {
        if (encoded.length < HEADER_SIZE || encoded[0] != VERSION) {
            throw new IllegalStateException("unknown history state format " + (encoded.length == 0 ? "(empty)" : encoded[0]));
        }
    }

    /** One entry, its length prefix included. */
    static byte[] encodeEntry(HistoryEntry entry) {
        byte[] eventId = utf8(entry.eventId);
        byte[] videoId = utf8(entry.videoId);
        byte[] codebook = utf8(entry.codebookVersion);
        byte[] eventType = EVENT_TYPE_NAMES[entry.eventType.ordinal()];
        byte[] surface = SURFACE_NAMES[entry.surface.ordinal()];
        byte[] device = DEVICE_NAMES[entry.device.ordinal()];
        if (entry.sid.length > 255) {
            throw new IllegalArgumentException("a SID of " + entry.sid.length + " codes does not fit a history entry");
        }
        int body = 8 + 2 + eventId.length + 2 + videoId.length + 1 + 4 * entry.sid.length + 2 + codebook.length
                + 2 + eventType.length + 1 + 2 + surface.length + 2 + device.length;
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

    /** Decodes the entry whose length prefix starts at {@code offset}. */
    static HistoryEntry decodeEntry(byte[] bytes, int offset) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.position(offset + 4);
        HistoryEntry entry = new HistoryEntry();
        entry.eventTime = in.getLong();
        entry.eventId = getString(in);
        entry.videoId = getString(in);
        entry.sid = new int[in.get() & 0xFF];
        for (int c = 0; c < entry.sid.length; c++) {
            entry.sid[c] = in.getInt();
        }
        entry.codebookVersion = getString(in);
        entry.eventType = EventType.values()[symbol(in, EVENT_TYPE_NAMES, "event type")];
        entry.watchBucket = in.get();
        entry.surface = Surface.values()[symbol(in, SURFACE_NAMES, "surface")];
        entry.device = Device.values()[symbol(in, DEVICE_NAMES, "device")];
        return entry;
    }

    /** The event id of the entry at {@code offset}, without decoding the rest (ties of event time). */
    static String eventId(byte[] bytes, int offset) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.position(offset + 4 + 8);
        return getString(in);
    }

    private static byte[] utf8(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("a history string of " + bytes.length + " bytes is too long");
        }
        return bytes;
    }

    private static void putString(ByteBuffer out, byte[] bytes) {
        out.putShort((short) bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer in) {
        int length = in.getShort() & 0xFFFF;
        String s = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    /** The ordinal of the symbol written by name at the buffer's position, compared without making a string. */
    private static int symbol(ByteBuffer in, byte[][] names, String what) {
        int length = in.getShort() & 0xFFFF;
        int from = in.position();
        in.position(from + length);
        for (int i = 0; i < names.length; i++) {
            if (Arrays.equals(names[i], 0, names[i].length, in.array(), from, from + length)) {
                return i;
            }
        }
        throw new IllegalStateException("unknown " + what + " '" + new String(in.array(), from, length, StandardCharsets.UTF_8)
                + "' in history state");
    }

    private static byte[][] names(Enum<?>[] symbols) {
        byte[][] names = new byte[symbols.length][];
        for (int i = 0; i < symbols.length; i++) {
            names[i] = symbols[i].name().getBytes(StandardCharsets.UTF_8);
        }
        return names;
    }
}
