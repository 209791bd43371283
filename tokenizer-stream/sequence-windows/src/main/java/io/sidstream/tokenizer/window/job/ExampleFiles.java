package io.sidstream.tokenizer.window.job;

import io.sidstream.schemas.TrainingExample;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.formats.avro.AvroWriters;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

/**
 * The training data lake: examples as Avro container files under {@code <path>/dt=yyyy-MM-dd/hour=HH/}, partitioned
 * by the examples' event time (UTC), so the trainer reads a time range by listing directories. Files are rolled and
 * committed on checkpoints, so a file the trainer can see is complete and holds each example once.
 */
public final class ExampleFiles {

    private ExampleFiles() {}

    public static FileSink<TrainingExample> sink(String path) {
        String uri = path.contains("://")
                ? path
                : java.nio.file.Path.of(path).toAbsolutePath().toUri().toString();
        return FileSink.forBulkFormat(new Path(uri), AvroWriters.forSpecificRecord(TrainingExample.class))
                .withBucketAssigner(new EventHourBuckets())
                .withOutputFileConfig(OutputFileConfig.builder()
                        .withPartPrefix("examples")
                        .withPartSuffix(".avro")
                        .build())
                .build();
    }

    /** Buckets by the hour of the example's event time, not by processing time, so replays land where they belong. */
    static final class EventHourBuckets implements BucketAssigner<TrainingExample, String> {

        private static final long serialVersionUID = 1L;
        private static final DateTimeFormatter HOUR =
                DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);

        @Override
        public String getBucketId(TrainingExample example, Context context) {
            return HOUR.format(example.getEventTime());
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return SimpleVersionedStringSerializer.INSTANCE;
        }
    }
}
