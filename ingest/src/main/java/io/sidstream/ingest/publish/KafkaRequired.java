package io.sidstream.ingest.publish;

import io.sidstream.core.config.SidstreamConfig;

/** Commands that write to a cluster refuse the embedded default with a clear way forward. */
public final class KafkaRequired {

    private KafkaRequired() {
    }

    public static void check(SidstreamConfig config, String command) {
        if (config.embeddedKafka()) {
            throw new IllegalArgumentException("kafka.bootstrap.servers is 'embedded': '" + command + "' writes to a "
                    + "running cluster. Start the platform with 'sidstream up' (which runs the embedded broker), or "
                    + "point it at a cluster with --set kafka.bootstrap.servers=host:9092");
        }
    }
}
