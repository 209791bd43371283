package io.sidstream.tokenizer.window.history;

import java.nio.ByteBuffer;

/**
 * A user's state as {@link HistoryCodec} stores it, indexed but not decoded: where each entry starts and its event
 * time. Changes make a new array (the stored one may be the heap backend's object, which a running snapshot reads).
 */
final class StoredHistory {

    private static final StoredHistory NONE = new StoredHistory(null, new int[] {HistoryCodec.HEADER_SIZE},
            Long.MIN_VALUE, HistoryCodec.NO_TIMER);

    private final byte[] bytes;
    /** Start of entry i; {@code offsets[size]} is the end. */
    private final int[] offsets;
    private final long lastActivity;
    private final long expiryTimer;

    private StoredHistory(byte[] bytes, int[] offsets, long lastActivity, long expiryTimer) {
        this.bytes = bytes;
        this.offsets = offsets;
        this.lastActivity = lastActivity;
        this.expiryTimer = expiryTimer;
    }

    /** The state in these bytes; a user without state for null. */
    static StoredHistory of(byte[] bytes) {
        if (bytes == null) {
            return NONE;
        }
        HistoryCodec.checkVersion(bytes);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int count = in.getInt(HistoryCodec.COUNT_OFFSET);
        int[] offsets = new int[count + 1];
        int at = HistoryCodec.HEADER_SIZE;
        for (int i = 0; i < count; i++) {
            offsets[i] = at;
            at += 4 + in.getInt(at);
        }
        offsets[count] = at;
        return new StoredHistory(bytes, offsets, in.getLong(1), in.getLong(9));
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

    long eventTime(int i) {
        return ByteBuffer.wrap(bytes).getLong(offsets[i] + 4);
    }

    HistoryEntry entry(int i) {
        return HistoryCodec.decodeEntry(bytes, offsets[i]);
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
        return time < eventTime || (time == eventTime && HistoryCodec.eventId(bytes, offsets[i]).compareTo(eventId) < 0);
    }

    /** The same entries under a new header. */
    byte[] withActivity(long newLastActivity, long newExpiryTimer) {
        ByteBuffer out = ByteBuffer.allocate(offsets[size()]);
        HistoryCodec.writeHeader(out, newLastActivity, newExpiryTimer, size());
        if (bytes != null) {
            out.put(bytes, HistoryCodec.HEADER_SIZE, offsets[size()] - HistoryCodec.HEADER_SIZE);
        }
        return out.array();
    }

    /** With {@code entry} inserted at {@code position}, keeping the last {@code maxEntries}, under a new header. */
    byte[] with(int position, HistoryEntry entry, int maxEntries, long newLastActivity, long newExpiryTimer) {
        byte[] added = HistoryCodec.encodeEntry(entry);
        int count = size() + 1;
        int dropped = Math.max(0, count - maxEntries);
        int length = HistoryCodec.HEADER_SIZE + (offsets[size()] - offsets[0]) + added.length;
        for (int i = 0; i < dropped; i++) {
            length -= i < position ? entryLength(i) : i == position ? added.length : entryLength(i - 1);
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        HistoryCodec.writeHeader(out, newLastActivity, newExpiryTimer, count - dropped);
        // entries [dropped, count) of the list with the new one at position; old entry i is list entry i or i + 1
        if (dropped < position) {
            out.put(bytes, offsets[dropped], offsets[position] - offsets[dropped]);
        }
        if (dropped <= position) {
            out.put(added);
        }
        int firstAfter = Math.max(position, dropped - 1);
        if (firstAfter < size()) {
            out.put(bytes, offsets[firstAfter], offsets[size()] - offsets[firstAfter]);
        }
        return out.array();
    }

    private int entryLength(int i) {
        return offsets[i + 1] - offsets[i];
    }
}
