package io.sidstream.tokenizer.window.shuffle;

import io.sidstream.tokenizer.window.join.SourcedEngagement;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link SourcedEngagement} across the shuffle into the join (by video): the engagement as {@link EngagementSerializer}
 * writes it, then a flag byte and, when the position is known, its partition and offset. Streams only, like
 * {@link EngagementSerializer}: the join's state keeps its waiting engagements as an evolvable POJO.
 */
public final class SourcedEngagementSerializer extends TypeSerializerSingleton<SourcedEngagement> {

    private static final long serialVersionUID = 1L;

    public static final SourcedEngagementSerializer INSTANCE = new SourcedEngagementSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public SourcedEngagement createInstance() {
        return new SourcedEngagement();
    }

    @Override
    public SourcedEngagement copy(SourcedEngagement from) {
        return new SourcedEngagement(EngagementSerializer.INSTANCE.copy(from.engagement), from.partition, from.offset);
    }

    @Override
    public SourcedEngagement copy(SourcedEngagement from, SourcedEngagement reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SourcedEngagement s, DataOutputView out) throws IOException {
        EngagementSerializer.INSTANCE.serialize(s.engagement, out);
        boolean known = s.partition != null && s.offset != null;
        out.writeBoolean(known);
        if (known) {
            out.writeInt(s.partition);
            out.writeLong(s.offset);
        }
    }

    @Override
    public SourcedEngagement deserialize(DataInputView in) throws IOException {
        SourcedEngagement s = new SourcedEngagement();
        s.engagement = EngagementSerializer.INSTANCE.deserialize(in);
        if (in.readBoolean()) {
            s.partition = in.readInt();
            s.offset = in.readLong();
        }
        return s;
    }

    @Override
    public SourcedEngagement deserialize(SourcedEngagement reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        EngagementSerializer.INSTANCE.copy(in, out);
        boolean known = in.readBoolean();
        out.writeBoolean(known);
        if (known) {
            out.writeInt(in.readInt());
            out.writeLong(in.readLong());
        }
    }

    @Override
    public TypeSerializerSnapshot<SourcedEngagement> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores {@link #INSTANCE}; public with a no-arg constructor because Flink instantiates it by reflection. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SourcedEngagement> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
