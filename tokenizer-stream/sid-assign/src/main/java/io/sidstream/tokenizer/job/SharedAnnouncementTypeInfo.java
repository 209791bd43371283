package io.sidstream.tokenizer.job;

import io.sidstream.schemas.CodebookPublished;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * Codebook announcements in the broadcast state: serialized by Avro as before (same serializer snapshot, so earlier
 * checkpoints restore), but copied by reference. Flink's heap broadcast state copies every entry in each checkpoint's
 * synchronous phase; deep copies of the inline artifacts (1.2 MB each at 3 x 256 x 384) were humongous allocations
 * that set off a G1 pause of the whole JVM (20-150 ms under load) at every checkpoint, the tail of every upload's
 * latency. Sharing is safe: nothing changes an announcement after it is decoded.
 */
final class SharedAnnouncementTypeInfo extends AvroTypeInfo<CodebookPublished> {

    private static final long serialVersionUID = 1L;

    SharedAnnouncementTypeInfo() {
        super(CodebookPublished.class);
    }

    @Override
    public TypeSerializer<CodebookPublished> createSerializer(SerializerConfig config) {
        return new SharingSerializer();
    }

    /** Avro's serializer whose copies are the record itself. */
    static final class SharingSerializer extends AvroSerializer<CodebookPublished> {

        private static final long serialVersionUID = 1L;

        SharingSerializer() {
            super(CodebookPublished.class);
        }

        @Override
        public CodebookPublished copy(CodebookPublished from) {
            return from;
        }

        @Override
        public CodebookPublished copy(CodebookPublished from, CodebookPublished reuse) {
            return from;
        }

        @Override
        public TypeSerializer<CodebookPublished> duplicate() {
            // Avro's serializer keeps per-thread reader/writer state, so every duplicate is a fresh one
            return new SharingSerializer();
        }
    }
}
