package io.sidstream.ingest.testing;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.TopicScan;
import java.util.List;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;

/** Reads a whole topic, up to its end offsets at the time of the call: exactly what is there, duplicates included. */
public final class TopicReader {

    private TopicReader() {}

    public static <V extends SpecificRecord> List<V> readToEnd(SidstreamConfig config, String topic, Class<V> type) {
        return readToEnd(config, topic, type, v -> true);
    }

    public static <V extends SpecificRecord> List<V> readToEnd(
            SidstreamConfig config, String topic, Class<V> type, Predicate<V> filter) {
        return TopicScan.values(config, topic, type).stream().filter(filter).toList();
    }
}
