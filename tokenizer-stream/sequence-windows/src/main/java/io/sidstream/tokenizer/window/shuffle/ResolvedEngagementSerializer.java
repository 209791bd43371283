package io.sidstream.tokenizer.window.shuffle;

import io.sidstream.tokenizer.window.join.ResolvedEngagement;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * {@link ResolvedEngagement} across the shuffle from the join (by video) to the histories (by user): the engagement
 * as {@link EngagementSerializer} writes it, then the SID's codes and codebook version. Replaces the POJO serializer,
 * whose reflective field access and instantiation showed in profiles. Streams only, like {@link EngagementSerializer}.
 */
public final class ResolvedEngagementSerializer extends TypeSerializerSingleton<ResolvedEngagement> {

    private static final long serialVersionUID = 1L;

    public static final ResolvedEngagementSerializer INSTANCE = new ResolvedEngagementSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public ResolvedEngagement createInstance() {
        return new ResolvedEngagement();
    }

    @Override
    public ResolvedEngagement copy(ResolvedEngagement from) {
        return new ResolvedEngagement(
                EngagementSerializer.INSTANCE.copy(from.engagement),
                from.sid == null ? null : from.sid.clone(),
                from.codebookVersion);
    }

    @Override
    public ResolvedEngagement copy(ResolvedEngagement from, ResolvedEngagement reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ResolvedEngagement r, DataOutputView out) throws IOException {
        EngagementSerializer.INSTANCE.serialize(r.engagement, out);
        out.writeByte(r.sid.length);
        for (int code : r.sid) {
            out.writeInt(code);
        }
        Utf8.write(r.codebookVersion, out);
    }

    @Override
    public ResolvedEngagement deserialize(DataInputView in) throws IOException {
        ResolvedEngagement r = new ResolvedEngagement();
        r.engagement = EngagementSerializer.INSTANCE.deserialize(in);
        r.sid = new int[in.readUnsignedByte()];
        for (int i = 0; i < r.sid.length; i++) {
            r.sid[i] = in.readInt();
        }
        r.codebookVersion = Utf8.read(in);
        return r;
    }

    @Override
    public ResolvedEngagement deserialize(ResolvedEngagement reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        EngagementSerializer.INSTANCE.copy(in, out);
        int codes = in.readUnsignedByte();
        out.writeByte(codes);
        out.write(in, 4 * codes);
        Utf8.copy(in, out);
    }

    @Override
    public TypeSerializerSnapshot<ResolvedEngagement> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores {@link #INSTANCE}; public with a no-arg constructor because Flink instantiates it by reflection. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ResolvedEngagement> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
