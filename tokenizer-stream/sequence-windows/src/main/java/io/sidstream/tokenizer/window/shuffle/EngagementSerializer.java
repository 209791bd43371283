package io.sidstream.tokenizer.window.shuffle;

import io.sidstream.schemas.Device;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.Surface;
import java.io.IOException;
import java.time.Instant;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link Engagement} between two operators of one job: every field, enums as their ordinal. Profiles showed Flink's
 * Avro serializer (reflective field access, a resolving decoder, a record per nested value) as the largest cost of the
 * join's thread. For streams only, never for state: ordinals are not stable across contract versions, and a shuffle
 * never outlives the job's code, while state does (the job's state keeps the Avro type, which evolves).
 */
public final class EngagementSerializer extends TypeSerializerSingleton<Engagement> {

    private static final long serialVersionUID = 1L;

    public static final EngagementSerializer INSTANCE = new EngagementSerializer();

    private static final EventType[] EVENT_TYPES = EventType.values();
    private static final Surface[] SURFACES = Surface.values();
    private static final Device[] DEVICES = Device.values();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public Engagement createInstance() {
        return new Engagement();
    }

    @Override
    public Engagement copy(Engagement from) {
        return Engagement.newBuilder(from).build();
    }

    @Override
    public Engagement copy(Engagement from, Engagement reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Engagement e, DataOutputView out) throws IOException {
        Utf8.write(e.getEventId(), out);
        Utf8.write(e.getUserId(), out);
        Utf8.write(e.getVideoId(), out);
        out.writeByte(e.getEventType().ordinal());
        out.writeLong(e.getWatchTimeMs());
        out.writeLong(e.getVideoDurationMs());
        out.writeByte(e.getSurface().ordinal());
        out.writeByte(e.getDevice().ordinal());
        Utf8.write(e.getCountry(), out);
        out.writeLong(e.getEventTime().toEpochMilli());
        Utf8.write(e.getContextVideoId(), out);
    }

    @Override
    public Engagement deserialize(DataInputView in) throws IOException {
        String eventId = Utf8.read(in);
        String userId = Utf8.read(in);
        String videoId = Utf8.read(in);
        EventType eventType = EVENT_TYPES[in.readUnsignedByte()];
        long watchTimeMs = in.readLong();
        long videoDurationMs = in.readLong();
        Surface surface = SURFACES[in.readUnsignedByte()];
        Device device = DEVICES[in.readUnsignedByte()];
        String country = Utf8.read(in);
        Instant eventTime = Instant.ofEpochMilli(in.readLong());
        String contextVideoId = Utf8.read(in);
        return new Engagement(
                eventId,
                userId,
                videoId,
                eventType,
                watchTimeMs,
                videoDurationMs,
                surface,
                device,
                country,
                eventTime,
                contextVideoId);
    }

    @Override
    public Engagement deserialize(Engagement reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        for (int i = 0; i < 3; i++) {
            Utf8.copy(in, out);
        }
        out.write(in, 1 + 8 + 8 + 1 + 1);
        Utf8.copy(in, out);
        out.write(in, 8);
        Utf8.copy(in, out);
    }

    @Override
    public TypeSerializerSnapshot<Engagement> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores {@link #INSTANCE}; public with a no-arg constructor because Flink instantiates it by reflection. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Engagement> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
