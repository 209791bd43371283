package io.sidstream.tokenizer.window.history;

import io.sidstream.schemas.Device;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.Surface;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A user's state as one compact byte array: last activity, expiry timer, a string table and history entries. It is
 * read and written whole on every engagement (with RocksDB every access copies it, and memtables, compactions and
 * incremental checkpoints all scale with its size), so it is small and built to be changed without being decoded:
 * each entry starts with its event time and its length, so finding an engagement's place is a scan of longs and
 * inserting it is array copies ({@link StoredHistory}); entries are decoded only for an example.
 *
 * <p>The first byte is the format version. Strings that repeat across entries (the codebook version, the names of
 * event type, surface and device) are stored once in the header's table and referenced by index; enums are stored by
 * name there, so new symbols in the contracts do not shift them. The table only grows while the user's entries
 * change: an entry's indices stay valid, so entries are copied as bytes, and strings no longer used (an old codebook
 * version after its entries fell out) stay until the table passes {@link #tableLimit} and is rebuilt. Event ids that
 * are canonical lowercase UUIDs take 16 bytes; any other id is kept as its UTF-8 bytes.
 *
 * <pre>
 * user:  u8 version (3) | i64 lastActivity | i64 expiryTimer | var count | var strings | str* | entry*
 * entry: i64 eventTime | var restLength | id eventId | str videoId | var codes | code* sid
 *        | var codebookVersion | var eventType | u8 watchBucket | var surface | var device
 *        (codebookVersion, eventType, surface, device: indices into the strings, enums by their names)
 * var:   unsigned LEB128 varint of a non-negative int (1 byte below 128)
 * str:   var length, UTF-8 bytes
 * id:    var 0, then i64 msb, i64 lsb of a UUID whose toString() is the id; or var n &gt; 0, then n - 1 UTF-8 bytes
 * code:  u8 0..254; or u8 255, then var (code - 255)
 * </pre>
 *
 * <p>Format 2 (every string inline, enum names per entry, codes as i32) is still read: {@link #upgradeV2}.
 */
public final class HistoryCodec {

    static final byte VERSION = 3;
    static final byte VERSION_2 = 2;
    /** Where the header's last activity and expiry timer (two longs after the version byte) are. */
    static final int LAST_ACTIVITY_OFFSET = 1;

    static final int EXPIRY_TIMER_OFFSET = LAST_ACTIVITY_OFFSET + 8;
    /** Version, last activity and expiry timer: the part of the header whose length never changes. */
    static final int FIXED_HEADER_SIZE = EXPIRY_TIMER_OFFSET + 8;
    /** The expiry timer of a user without one. */
    static final long NO_TIMER = Long.MIN_VALUE;

    /** Strings an entry refers to, in this order. */
    static final int STRINGS_PER_ENTRY = 4;
    /** Below this many strings the table is never rebuilt: a user's enum names and a few codebook versions. */
    private static final int MIN_TABLE_LIMIT = 32;

    private static final int BIG_CODE = 255;

    private static final byte[][] EVENT_TYPE_NAMES = names(EventType.values());
    private static final byte[][] SURFACE_NAMES = names(Surface.values());
    private static final byte[][] DEVICE_NAMES = names(Device.values());
    private static final Map<String, EventType> EVENT_TYPES = byName(EventType.values());
    private static final Map<String, Surface> SURFACES = byName(Surface.values());
    private static final Map<String, Device> DEVICES = byName(Device.values());

    private HistoryCodec() {}

    /** A state of just these entries (no activity recorded, no timer). */
    public static byte[] encode(List<HistoryEntry> entries) {
        return assemble(Long.MIN_VALUE, NO_TIMER, entries);
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

    /**
     * A fresh state whose table holds exactly the strings of these entries: for {@link #encode}, a format-2 value and
     * a table rebuilt past its limit, never on the path of an ordinary insert.
     */
    static byte[] assemble(long lastActivity, long expiryTimer, List<HistoryEntry> entries) {
        // keyed by content (a ByteBuffer's equals), in the order of first use
        Map<ByteBuffer, Integer> table = new LinkedHashMap<>();
        List<byte[]> encoded = new ArrayList<>(entries.size());
        int[] indices = new int[STRINGS_PER_ENTRY];
        int entryBytes = 0;
        for (HistoryEntry entry : entries) {
            byte[][] strings = tableStrings(entry);
            for (int s = 0; s < STRINGS_PER_ENTRY; s++) {
                indices[s] = table.computeIfAbsent(ByteBuffer.wrap(strings[s]), key -> table.size());
            }
            byte[] bytes = encodeEntry(entry, indices);
            encoded.add(bytes);
            entryBytes += bytes.length;
        }
        int tableBytes = 0;
        for (ByteBuffer s : table.keySet()) {
            tableBytes += varintSize(s.remaining()) + s.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(headerSize(entries.size(), table.size()) + tableBytes + entryBytes);
        writeHeader(out, lastActivity, expiryTimer, entries.size(), table.size());
        for (ByteBuffer s : table.keySet()) {
            putString(out, s.array());
        }
        for (byte[] entry : encoded) {
            out.put(entry);
        }
        return out.array();
    }

    /** Header bytes before the strings. */
    static int headerSize(int count, int strings) {
        return FIXED_HEADER_SIZE + varintSize(count) + varintSize(strings);
    }

    static void writeHeader(ByteBuffer out, long lastActivity, long expiryTimer, int count, int strings) {
        out.put(VERSION).putLong(lastActivity).putLong(expiryTimer);
        putVarint(out, count);
        putVarint(out, strings);
    }

    /**
     * How many strings a table may hold before growing it rebuilds it: at least the fixed minimum, and room for
     * entries that legitimately use many strings (a codebook version each) so that they do not rebuild on every insert.
     */
    static int tableLimit(int entries) {
        return Math.max(MIN_TABLE_LIMIT, 2 * entries);
    }

    /** The UTF-8 strings an entry refers to through the table, in the order of its indices ({@link #encodeEntry}). */
    static byte[][] tableStrings(HistoryEntry entry) {
        return new byte[][] {
            entry.codebookVersion.getBytes(StandardCharsets.UTF_8),
            EVENT_TYPE_NAMES[entry.eventType.ordinal()],
            SURFACE_NAMES[entry.surface.ordinal()],
            DEVICE_NAMES[entry.device.ordinal()]
        };
    }

    /** One entry; {@code indices} are those of its {@link #tableStrings} in the table it goes with. */
    static byte[] encodeEntry(HistoryEntry entry, int[] indices) {
        UUID uuid = canonicalUuid(entry.eventId);
        byte[] eventId = uuid == null ? entry.eventId.getBytes(StandardCharsets.UTF_8) : null;
        byte[] videoId = entry.videoId.getBytes(StandardCharsets.UTF_8);
        if (entry.watchBucket < 0 || entry.watchBucket > 0xFF) {
            throw new IllegalArgumentException("watch bucket " + entry.watchBucket + " does not fit a history entry");
        }
        int rest = (uuid != null ? 1 + 16 : varintSize(eventId.length + 1) + eventId.length)
                + varintSize(videoId.length)
                + videoId.length
                + varintSize(entry.sid.length)
                + 1; // 1: the watch bucket
        for (int code : entry.sid) {
            rest += codeSize(code);
        }
        for (int index : indices) {
            rest += varintSize(index);
        }
        ByteBuffer out = ByteBuffer.allocate(8 + varintSize(rest) + rest);
        out.putLong(entry.eventTime);
        putVarint(out, rest);
        if (uuid != null) {
            putVarint(out, 0);
            out.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        } else {
            putVarint(out, eventId.length + 1);
            out.put(eventId);
        }
        putString(out, videoId);
        putVarint(out, entry.sid.length);
        for (int code : entry.sid) {
            putCode(out, code);
        }
        putVarint(out, indices[0]);
        putVarint(out, indices[1]);
        out.put((byte) entry.watchBucket);
        putVarint(out, indices[2]);
        putVarint(out, indices[3]);
        return out.array();
    }

    /** Decodes the entry that starts at {@code offset}, its table indices resolved in {@code strings}. */
    static HistoryEntry decodeEntry(byte[] bytes, int offset, String[] strings) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.position(offset);
        HistoryEntry entry = new HistoryEntry();
        entry.eventTime = in.getLong();
        getVarint(in);
        entry.eventId = getEventId(in);
        entry.videoId = getString(in);
        entry.sid = new int[getVarint(in)];
        for (int c = 0; c < entry.sid.length; c++) {
            entry.sid[c] = getCode(in);
        }
        entry.codebookVersion = string(strings, getVarint(in));
        entry.eventType = symbol(EVENT_TYPES, string(strings, getVarint(in)), "event type");
        entry.watchBucket = in.get() & 0xFF;
        entry.surface = symbol(SURFACES, string(strings, getVarint(in)), "surface");
        entry.device = symbol(DEVICES, string(strings, getVarint(in)), "device");
        return entry;
    }

    private static String string(String[] strings, int index) {
        if (index >= strings.length) {
            throw new IllegalStateException(
                    "corrupt history state: string " + index + " of a table of " + strings.length);
        }
        return strings[index];
    }

    /** The event id of the entry at {@code offset}, without decoding the rest (ties of event time). */
    static String eventId(byte[] bytes, int offset) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.position(offset + 8);
        getVarint(in);
        return getEventId(in);
    }

    /** The format-3 value of a format-2 one: the state of checkpoints taken before format 3. */
    static byte[] upgradeV2(byte[] v2) {
        ByteBuffer in = ByteBuffer.wrap(v2);
        in.position(1);
        long lastActivity = in.getLong();
        long expiryTimer = in.getLong();
        int count = in.getInt();
        List<HistoryEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int body = in.getInt();
            int end = in.position() + body;
            HistoryEntry entry = new HistoryEntry();
            entry.eventTime = in.getLong();
            entry.eventId = getV2String(in);
            entry.videoId = getV2String(in);
            entry.sid = new int[in.get() & 0xFF];
            for (int c = 0; c < entry.sid.length; c++) {
                entry.sid[c] = in.getInt();
            }
            entry.codebookVersion = getV2String(in);
            entry.eventType = symbol(EVENT_TYPES, getV2String(in), "event type");
            entry.watchBucket = in.get();
            entry.surface = symbol(SURFACES, getV2String(in), "surface");
            entry.device = symbol(DEVICES, getV2String(in), "device");
            entries.add(entry);
            in.position(end);
        }
        if (in.hasRemaining()) {
            throw new IllegalStateException(
                    "corrupt history state (format 2): " + in.remaining() + " bytes after the entries");
        }
        return assemble(lastActivity, expiryTimer, entries);
    }

    /**
     * The UUID whose {@link UUID#toString()} is exactly {@code id}, or null: parsed by hand because most ids are UUIDs
     * and the others would make {@link UUID#fromString} throw on the hot path.
     */
    static UUID canonicalUuid(String id) {
        if (id.length() != 36) {
            return null;
        }
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 36; i++) {
            char c = id.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return null;
                }
                continue;
            }
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (digit < 0) {
                return null;
            }
            if (i < 18) {
                msb = msb << 4 | digit;
            } else {
                lsb = lsb << 4 | digit;
            }
        }
        return new UUID(msb, lsb);
    }

    private static String getEventId(ByteBuffer in) {
        int tag = getVarint(in);
        if (tag == 0) {
            return new UUID(in.getLong(), in.getLong()).toString();
        }
        return utf8(in, tag - 1);
    }

    static void putVarint(ByteBuffer out, int value) {
        while ((value & ~0x7F) != 0) {
            out.put((byte) (value & 0x7F | 0x80));
            value >>>= 7;
        }
        out.put((byte) value);
    }

    static int getVarint(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.get();
            if (shift == 28 && (b & 0xF8) != 0) {
                // a fifth byte may hold only the top three bits of a non-negative int, and must be the last
                throw new IllegalStateException("corrupt history state: a varint out of range");
            }
            value |= (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
    }

    static int varintSize(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("a history varint must not be negative: " + value);
        }
        return value < 1 << 7 ? 1 : value < 1 << 14 ? 2 : value < 1 << 21 ? 3 : value < 1 << 28 ? 4 : 5;
    }

    private static int codeSize(int code) {
        if (code < 0) {
            throw new IllegalArgumentException("SID code " + code + " is negative: history entries store codes >= 0");
        }
        return code < BIG_CODE ? 1 : 1 + varintSize(code - BIG_CODE);
    }

    private static void putCode(ByteBuffer out, int code) {
        if (code < BIG_CODE) {
            out.put((byte) code);
        } else {
            out.put((byte) BIG_CODE);
            putVarint(out, code - BIG_CODE);
        }
    }

    private static int getCode(ByteBuffer in) {
        int code = in.get() & 0xFF;
        return code < BIG_CODE ? code : BIG_CODE + getVarint(in);
    }

    static void putString(ByteBuffer out, byte[] utf8) {
        putVarint(out, utf8.length);
        out.put(utf8);
    }

    static String getString(ByteBuffer in) {
        return utf8(in, getVarint(in));
    }

    private static String getV2String(ByteBuffer in) {
        return utf8(in, in.getShort() & 0xFFFF);
    }

    private static String utf8(ByteBuffer in, int length) {
        if (length > in.remaining()) {
            throw new IllegalStateException("corrupt history state: a string of " + length + " bytes past the end");
        }
        String s = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return s;
    }

    private static <E extends Enum<E>> E symbol(Map<String, E> symbols, String name, String what) {
        E symbol = symbols.get(name);
        if (symbol == null) {
            throw new IllegalStateException("unknown " + what + " '" + name + "' in history state");
        }
        return symbol;
    }

    private static byte[][] names(Enum<?>[] symbols) {
        byte[][] names = new byte[symbols.length][];
        for (int i = 0; i < symbols.length; i++) {
            names[i] = symbols[i].name().getBytes(StandardCharsets.UTF_8);
        }
        return names;
    }

    private static <E extends Enum<E>> Map<String, E> byName(E[] symbols) {
        Map<String, E> map = new HashMap<>();
        for (E symbol : symbols) {
            map.put(symbol.name(), symbol);
        }
        return map;
    }
}
