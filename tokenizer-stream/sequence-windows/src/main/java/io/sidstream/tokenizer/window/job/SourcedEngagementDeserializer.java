package io.sidstream.tokenizer.window.job;

import io.sidstream.flink.kafka.AvroKafkaDeserializer;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.serde.RegistryConfig;
import io.sidstream.tokenizer.window.WindowTypes;
import io.sidstream.tokenizer.window.join.SourcedEngagement;
import java.io.IOException;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Engagements as {@link AvroKafkaDeserializer} decodes them (undecodable records become dead letters there), each
 * with the partition and offset it was read from: the join dead-letters engagements long after decoding, and those
 * letters must name their record too.
 */
final class SourcedEngagementDeserializer
        implements KafkaRecordDeserializationSchema<Either<DeadLetter, SourcedEngagement>> {

    private static final long serialVersionUID = 1L;

    private final AvroKafkaDeserializer<Engagement> decoder;
    private transient Placing placing;

    SourcedEngagementDeserializer(RegistryConfig registry, String stage) {
        this.decoder = new AvroKafkaDeserializer<>(registry, Engagement.class, stage);
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        decoder.open(context);
        placing = new Placing();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Either<DeadLetter, SourcedEngagement>> out)
            throws IOException {
        if (placing == null) {
            placing = new Placing();
        }
        placing.record = record;
        placing.out = out;
        decoder.deserialize(record, placing);
    }

    @Override
    public TypeInformation<Either<DeadLetter, SourcedEngagement>> getProducedType() {
        return new EitherTypeInfo<>(new AvroTypeInfo<>(DeadLetter.class), WindowTypes.SOURCED_ENGAGEMENT);
    }

    /** Adds the record's position to what the decoder emits for it; one per reader, reused for every record. */
    private static final class Placing implements Collector<Either<DeadLetter, Engagement>> {
        ConsumerRecord<byte[], byte[]> record;
        Collector<Either<DeadLetter, SourcedEngagement>> out;

        @Override
        public void collect(Either<DeadLetter, Engagement> decoded) {
            out.collect(
                    decoded.isLeft()
                            ? Either.Left(decoded.left())
                            : Either.Right(
                                    new SourcedEngagement(decoded.right(), record.partition(), record.offset())));
        }

        @Override
        public void close() {}
    }
}
