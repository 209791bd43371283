package io.sidstream.ingest.world;

import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.VideoUploaded;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;

/**
 * One event of the synthetic stream.
 *
 * @param record    a {@link VideoUploaded} or an {@link Engagement}
 * @param emittedAt when, in world time, the event is sent; later than its event time when it is late
 * @param late      emitted minutes after its event time, on purpose
 * @param duplicate a second copy of an earlier event (same event id), on purpose
 */
public record WorldEvent(SpecificRecord record, Instant emittedAt, boolean late, boolean duplicate) {

    public boolean isUpload() {
        return record instanceof VideoUploaded;
    }

    public VideoUploaded upload() {
        return (VideoUploaded) record;
    }

    public Engagement engagement() {
        return (Engagement) record;
    }
}
