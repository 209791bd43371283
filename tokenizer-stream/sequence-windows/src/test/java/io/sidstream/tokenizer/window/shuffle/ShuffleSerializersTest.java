package io.sidstream.tokenizer.window.shuffle;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.EventType;
import io.sidstream.tokenizer.window.Fixtures;
import io.sidstream.tokenizer.window.join.ResolvedEngagement;
import io.sidstream.tokenizer.window.join.SourcedEngagement;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class ShuffleSerializersTest {

    private static final Engagement WITH_CONTEXT = Engagement.newBuilder(
                    Fixtures.engagement("e-é1", "ü-user", "vid-9", EventType.WATCH, 12_345, 42))
            .setContextVideoId("vid-ctx")
            .build();
    private static final Engagement WITHOUT_CONTEXT = Fixtures.like("e2", "u2", "v2", 7);

    @Test
    void anEngagementRoundTripsFieldByField() throws IOException {
        for (Engagement engagement : new Engagement[] {WITH_CONTEXT, WITHOUT_CONTEXT}) {
            assertThat(roundTrip(EngagementSerializer.INSTANCE, engagement)).isEqualTo(engagement);
            assertThat(EngagementSerializer.INSTANCE.copy(engagement))
                    .isEqualTo(engagement)
                    .isNotSameAs(engagement);
        }
    }

    @Test
    void aResolvedEngagementRoundTripsWithItsSid() throws IOException {
        ResolvedEngagement resolved = new ResolvedEngagement(WITH_CONTEXT, new int[] {255, 0, 70_000, 3}, "cb-2");

        assertThat(roundTrip(ResolvedEngagementSerializer.INSTANCE, resolved)).isEqualTo(resolved);
        ResolvedEngagement copy = ResolvedEngagementSerializer.INSTANCE.copy(resolved);
        assertThat(copy).isEqualTo(resolved);
        assertThat(copy.sid).isNotSameAs(resolved.sid);
    }

    @Test
    void aSourcedEngagementRoundTripsWithItsPositionOrWithoutOne() throws IOException {
        for (SourcedEngagement sourced : new SourcedEngagement[] {
            new SourcedEngagement(WITH_CONTEXT, 11, 9_876_543_210L), SourcedEngagement.unplaced(WITHOUT_CONTEXT)
        }) {
            assertThat(roundTrip(SourcedEngagementSerializer.INSTANCE, sourced)).isEqualTo(sourced);
            SourcedEngagement copy = SourcedEngagementSerializer.INSTANCE.copy(sourced);
            assertThat(copy).isEqualTo(sourced);
            assertThat(copy.engagement).isNotSameAs(sourced.engagement);
            assertThat(copiedBytesEqual(SourcedEngagementSerializer.INSTANCE, sourced))
                    .isTrue();
        }
        assertThat(SourcedEngagementSerializer.INSTANCE.snapshotConfiguration().restoreSerializer())
                .isEqualTo(SourcedEngagementSerializer.INSTANCE);
    }

    private static <T> boolean copiedBytesEqual(TypeSerializer<T> serializer, T value) throws IOException {
        byte[] original = bytes(serializer, value);
        DataOutputSerializer copied = new DataOutputSerializer(64);
        DataInputDeserializer in = new DataInputDeserializer(original);
        serializer.copy(in, copied);
        return java.util.Arrays.equals(copied.getCopyOfBuffer(), original) && in.available() == 0;
    }

    @Test
    void copyingSerializedBytesGivesTheSameBytes() throws IOException {
        // Flink copies records it does not deserialize (e.g. when spilling) through copy(in, out)
        ResolvedEngagement resolved = new ResolvedEngagement(WITHOUT_CONTEXT, new int[] {1, 2}, "cb-1");
        byte[] original = bytes(ResolvedEngagementSerializer.INSTANCE, resolved);
        DataOutputSerializer copied = new DataOutputSerializer(64);
        DataInputDeserializer in = new DataInputDeserializer(original);
        ResolvedEngagementSerializer.INSTANCE.copy(in, copied);

        assertThat(copied.getCopyOfBuffer()).isEqualTo(original);
        assertThat(in.available()).isZero();
    }

    @Test
    void theSnapshotRestoresTheSameSerializer() {
        TypeSerializerSnapshot<Engagement> snapshot = EngagementSerializer.INSTANCE.snapshotConfiguration();
        assertThat(snapshot.restoreSerializer()).isEqualTo(EngagementSerializer.INSTANCE);
        assertThat(snapshot.resolveSchemaCompatibility(new EngagementSerializer.Snapshot())
                        .isCompatibleAsIs())
                .isTrue();
        assertThat(ResolvedEngagementSerializer.INSTANCE.snapshotConfiguration().restoreSerializer())
                .isEqualTo(ResolvedEngagementSerializer.INSTANCE);
    }

    private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(bytes(serializer, value));
        T read = serializer.deserialize(in);
        assertThat(in.available()).isZero();
        return read;
    }

    private static <T> byte[] bytes(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        return out.getCopyOfBuffer();
    }
}
