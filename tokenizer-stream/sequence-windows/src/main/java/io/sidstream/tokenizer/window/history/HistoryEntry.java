package io.sidstream.tokenizer.window.history;

import io.sidstream.schemas.Device;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.Surface;

/**
 * One engagement in a user's history state: the video, the SID it was resolved with and the features the model
 * sees (stored through {@link HistoryCodec}). The time-gap bucket is not stored: it depends on the neighbour, which an out-of-order arrival
 * can change, so it is computed when an example is built.
 */
public class HistoryEntry {

    public String eventId;
    public String videoId;
    public int[] sid;
    public String codebookVersion;
    public EventType eventType;
    public int watchBucket;
    public Surface surface;
    public Device device;
    public long eventTime;

    public HistoryEntry() {}

    /** Event-time order; the event id breaks ties so the order never depends on arrival. */
    boolean isBefore(long otherTime, String otherEventId) {
        return eventTime < otherTime || (eventTime == otherTime && eventId.compareTo(otherEventId) < 0);
    }
}
