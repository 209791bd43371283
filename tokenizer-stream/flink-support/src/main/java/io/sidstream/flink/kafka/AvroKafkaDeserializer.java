package io.sidstream.flink.kafka;

import io.sidstream.core.deadletter.DeadLetterMetrics;
import io.sidstream.core.deadletter.DeadLetters;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.serde.AvroWireDeserializer;
import io.sidstream.schemas.serde.RegistryConfig;
import io.sidstream.schemas.serde.WireFormatException;
import java.io.IOException;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads a topic in the registry wire format. A record that cannot be decoded becomes a {@link DeadLetter} with its
 * coordinates and reason instead of failing the job; a registry that cannot be reached fails the read (the job
 * restarts from its last checkpoint, so the record is read again rather than dead-lettered for a passing outage).
 */
public final class AvroKafkaDeserializer<T extends SpecificRecordBase>
        implements KafkaRecordDeserializationSchema<Either<DeadLetter, T>> {

    private static final long serialVersionUID = 1L;

    private final RegistryConfig registry;
    private final Class<T> type;
    private final String stage;
    private transient AvroWireDeserializer<T> deserializer;
    private transient Counter deadLettered;

    public AvroKafkaDeserializer(RegistryConfig registry, Class<T> type, String stage) {
        this.registry = registry;
        this.type = type;
        this.stage = stage;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        deserializer = AvroWireDeserializer.create(registry, type);
        deadLettered = context == null
                ? new SimpleCounter()
                : context.getMetricGroup().counter("sidstream_flink_undecodable_records_total");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Either<DeadLetter, T>> out)
            throws IOException {
        if (deserializer == null) {
            open(null);
        }
        if (record.value() == null) {
            // on a compacted topic a tombstone, compaction's way to delete a key (the event it stands for, a removal,
            // has its own topic); on any other an empty event, dead-lettered and counted rather than dropped
            var letter =
                    DeadLetters.nullValue(record.topic(), record.partition(), record.offset(), record.key(), stage);
            if (letter.isPresent()) {
                deadLettered.inc();
                DeadLetterMetrics.DEAD_LETTERS
                        .labelValues(record.topic(), DeadLetters.NULL_VALUE, stage)
                        .inc();
                out.collect(Either.Left(letter.get()));
            }
            return;
        }
        try {
            out.collect(Either.Right(deserializer.deserialize(record.topic(), record.value())));
        } catch (WireFormatException e) {
            if (e.error().isTransient()) {
                throw new IOException(
                        "schema registry unavailable while reading " + record.topic() + "-" + record.partition() + "@"
                                + record.offset(),
                        e);
            }
            // Flink's metric for a cluster's reporter; the Prometheus counter for the in-JVM embedded platform
            deadLettered.inc();
            DeadLetterMetrics.DEAD_LETTERS
                    .labelValues(record.topic(), e.error().name(), stage)
                    .inc();
            out.collect(Either.Left(DeadLetters.fromRecord(
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    record.key(),
                    record.value(),
                    e.error().name(),
                    e.getMessage(),
                    stage)));
        }
    }

    @Override
    public TypeInformation<Either<DeadLetter, T>> getProducedType() {
        return Decoded.type(type);
    }
}
