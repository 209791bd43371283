package io.sidstream.tokenizer.window.history;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A user's state as {@link HistoryCodec} stores it, indexed but not decoded: where each table string and each entry
 * starts. Changes make a new array (the stored one may be the heap backend's object, which a running snapshot reads).
 */
final class StoredHistory {

    private static final StoredHistory NONE =
            new StoredHistory(null, new int[] {0}, new int[] {0}, Long.MIN_VALUE, HistoryCodec.NO_TIMER);

    private final byte[] bytes;
    /** Start of table string i (its length prefix); {@code strings[stringCount]} is the end of the table. */
    private final int[] strings;
    /** Start of entry i; {@code offsets[size]} is the end. */
    private final int[] offsets;

    private final long lastActivity;
    private final long expiryTimer;
    /** The table decoded, once an entry is. */
    private String[] decodedStrings;

    private StoredHistory(byte[] bytes, int[] strings, int[] offsets, long lastActivity, long expiryTimer) {
        this.bytes = bytes;
        this.strings = strings;
        this.offsets = offsets;
        this.lastActivity = lastActivity;
        this.expiryTimer = expiryTimer;
    }

    /** The state in these bytes (a format-2 value is converted); a user without state for null. */
    static StoredHistory of(byte[] bytes) {
        if (bytes == null) {
            return NONE;
        }
        if (bytes.length == 0 || (bytes[0] != HistoryCodec.VERSION && bytes[0] != HistoryCodec.VERSION_2)) {
            throw new IllegalStateException(
                    "unknown history state format " + (bytes.length == 0 ? "(empty)" : bytes[0]));
        }
        byte version = bytes[0];
        try {
            return index(version == HistoryCodec.VERSION ? bytes : HistoryCodec.upgradeV2(bytes));
        } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "corrupt history state (format " + version + ", " + bytes.length + " bytes)", e);
        }
    }

    private static StoredHistory index(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        long lastActivity = in.getLong(HistoryCodec.LAST_ACTIVITY_OFFSET);
        long expiryTimer = in.getLong(HistoryCodec.EXPIRY_TIMER_OFFSET);
        in.position(HistoryCodec.FIXED_HEADER_SIZE);
        int count = HistoryCodec.getVarint(in);
        int[] strings = new int[HistoryCodec.getVarint(in) + 1];
        for (int s = 0; s < strings.length - 1; s++) {
            strings[s] = in.position();
            int length = HistoryCodec.getVarint(in);
            in.position(in.position() + length);
        }
        strings[strings.length - 1] = in.position();
        int[] offsets = new int[count + 1];
        for (int i = 0; i < count; i++) {
            offsets[i] = in.position();
            in.position(in.position() + 8);
            int length = HistoryCodec.getVarint(in);
            in.position(in.position() + length);
        }
        offsets[count] = in.position();
        if (in.hasRemaining()) {
            throw new IllegalStateException(
                    "corrupt history state: " + in.remaining() + " bytes after " + count + " entries");
        }
        return new StoredHistory(bytes, strings, offsets, lastActivity, expiryTimer);
    }

    boolean exists() {
        return bytes != null;
    }

    long lastActivity() {
        return lastActivity;
    }

    long expiryTimer() {
        return expiryTimer;
    }

    boolean hasTimer() {
        return expiryTimer != HistoryCodec.NO_TIMER;
    }

    int size() {
        return offsets.length - 1;
    }

    /** Strings in the table, used by the entries or left over from dropped ones. */
    int stringCount() {
        return strings.length - 1;
    }

    long eventTime(int i) {
        return ByteBuffer.wrap(bytes).getLong(offsets[i]);
    }

    HistoryEntry entry(int i) {
        return HistoryCodec.decodeEntry(bytes, offsets[i], decodedStrings());
    }

    /**
     * Where an engagement goes in event-time order: after every entry before it (ties by event id). Searched from the
     * end, where an engagement in order goes.
     */
    int position(long eventTime, String eventId) {
        int position = size();
        while (position > 0 && !isBefore(position - 1, eventTime, eventId)) {
            position--;
        }
        return position;
    }

    private boolean isBefore(int i, long eventTime, String eventId) {
        long time = eventTime(i);
        return time < eventTime
                || (time == eventTime && HistoryCodec.eventId(bytes, offsets[i]).compareTo(eventId) < 0);
    }

    /** The same table and entries under a new header. */
    byte[] withActivity(long newLastActivity, long newExpiryTimer) {
        if (bytes == null) {
            ByteBuffer out = ByteBuffer.allocate(HistoryCodec.headerSize(0, 0));
            HistoryCodec.writeHeader(out, newLastActivity, newExpiryTimer, 0, 0);
            return out.array();
        }
        byte[] touched = bytes.clone();
        ByteBuffer.wrap(touched)
                .putLong(HistoryCodec.LAST_ACTIVITY_OFFSET, newLastActivity)
                .putLong(HistoryCodec.EXPIRY_TIMER_OFFSET, newExpiryTimer);
        return touched;
    }

    /**
     * With {@code entry} inserted at {@code position}, keeping the last {@code maxEntries}, under a new header. The
     * entry's strings missing from the table are appended to it (the other entries' indices stay valid, so they are
     * copied as bytes), unless that takes the table past {@link HistoryCodec#tableLimit}: then the state is rebuilt
     * with only the strings still used.
     */
    byte[] with(int position, HistoryEntry entry, int maxEntries, long newLastActivity, long newExpiryTimer) {
        int count = size() + 1;
        int dropped = Math.max(0, count - maxEntries);
        byte[][] wanted = HistoryCodec.tableStrings(entry);
        int[] indices = new int[wanted.length];
        List<byte[]> added = new ArrayList<>(0);
        for (int s = 0; s < wanted.length; s++) {
            indices[s] = indexOf(wanted[s], added);
        }
        int newStrings = stringCount() + added.size();
        if (!added.isEmpty() && newStrings > HistoryCodec.tableLimit(count - dropped)) {
            return rebuilt(position, entry, dropped, newLastActivity, newExpiryTimer);
        }
        byte[] encoded = HistoryCodec.encodeEntry(entry, indices);

        int tableLength = strings[stringCount()] - strings[0];
        for (byte[] s : added) {
            tableLength += HistoryCodec.varintSize(s.length) + s.length;
        }
        int entriesLength = (offsets[size()] - offsets[0]) + encoded.length;
        for (int i = 0; i < dropped; i++) {
            entriesLength -= i < position ? entryLength(i) : i == position ? encoded.length : entryLength(i - 1);
        }
        ByteBuffer out =
                ByteBuffer.allocate(HistoryCodec.headerSize(count - dropped, newStrings) + tableLength + entriesLength);
        HistoryCodec.writeHeader(out, newLastActivity, newExpiryTimer, count - dropped, newStrings);
        if (stringCount() > 0) {
            out.put(bytes, strings[0], strings[stringCount()] - strings[0]);
        }
        for (byte[] s : added) {
            HistoryCodec.putString(out, s);
        }
        // entries [dropped, count) of the list with the new one at position; old entry i is list entry i or i + 1
        if (dropped < position) {
            out.put(bytes, offsets[dropped], offsets[position] - offsets[dropped]);
        }
        if (dropped <= position) {
            out.put(encoded);
        }
        int firstAfter = Math.max(position, dropped - 1);
        if (firstAfter < size()) {
            out.put(bytes, offsets[firstAfter], offsets[size()] - offsets[firstAfter]);
        }
        return out.array();
    }

    /** The index of {@code utf8} in the table, or the one it gets appended to it after {@code added}. */
    private int indexOf(byte[] utf8, List<byte[]> added) {
        // prefix + length grows with the length, so equal spans mean equal lengths: no prefix to parse
        int span = HistoryCodec.varintSize(utf8.length) + utf8.length;
        for (int s = 0; s < stringCount(); s++) {
            if (strings[s + 1] - strings[s] == span
                    && Arrays.equals(bytes, strings[s + 1] - utf8.length, strings[s + 1], utf8, 0, utf8.length)) {
                return s;
            }
        }
        for (int a = 0; a < added.size(); a++) {
            if (Arrays.equals(added.get(a), utf8)) {
                return stringCount() + a;
            }
        }
        added.add(utf8);
        return stringCount() + added.size() - 1;
    }

    /** The rare path: every kept entry decoded and the state encoded afresh, with a table of the strings in use. */
    private byte[] rebuilt(int position, HistoryEntry entry, int dropped, long newLastActivity, long newExpiryTimer) {
        List<HistoryEntry> entries = new ArrayList<>(size() + 1);
        for (int i = 0; i < size(); i++) {
            entries.add(entry(i));
        }
        entries.add(position, entry);
        return HistoryCodec.assemble(newLastActivity, newExpiryTimer, entries.subList(dropped, entries.size()));
    }

    private String[] decodedStrings() {
        if (decodedStrings == null) {
            decodedStrings = new String[stringCount()];
            ByteBuffer in = ByteBuffer.wrap(bytes);
            for (int s = 0; s < decodedStrings.length; s++) {
                in.position(strings[s]);
                decodedStrings[s] = HistoryCodec.getString(in);
            }
        }
        return decodedStrings;
    }

    private int entryLength(int i) {
        return offsets[i + 1] - offsets[i];
    }
}
