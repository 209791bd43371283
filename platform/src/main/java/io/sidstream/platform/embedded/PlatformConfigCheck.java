package io.sidstream.platform.embedded;

import com.typesafe.config.Config;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.flink.job.FlinkJobConfig;
import io.sidstream.ingest.gateway.GatewayConfig;
import io.sidstream.ingest.publish.PublishConfig;
import io.sidstream.ingest.replay.ReplayConfig;
import io.sidstream.ingest.world.WorldConfig;
import io.sidstream.publisher.trie.TriePublisherConfig;
import io.sidstream.serving.node.ServingNodeConfig;
import io.sidstream.tokenizer.codebook.KMeansOptions;
import io.sidstream.tokenizer.codebook.RqVaeOptions;
import io.sidstream.tokenizer.sid.SidConfig;
import io.sidstream.tokenizer.window.WindowsConfig;
import io.sidstream.trainer.TrainerConfig;
import io.sidstream.trainer.control.ControlConfig;
import io.sidstream.trainer.publish.OfflineTable;

/**
 * Reads every typed configuration the platform's parts will read, before anything with state starts: a bad value
 * (a token too short, a negative interval) stops {@code sidstream up} at once with its key, instead of after the broker
 * started and the jobs resumed and committed. Each part's own config record does the checking; this only makes them
 * all run first.
 */
final class PlatformConfigCheck {

    private PlatformConfigCheck() {}

    /** Throws IllegalArgumentException naming the first bad key. */
    static void validate(SidstreamConfig config) {
        try {
            Config platform = config.section("platform");
            Config run = platform.getConfig("run");
            platform.getDuration("status-sample-interval");
            port(platform.getInt("status-port"), "platform.status-port");
            port(config.section("metrics").getInt("port"), "metrics.port");
            Config ingest = config.section("ingest");
            PublishConfig.from(ingest);
            WorldConfig.from(ingest);
            ReplayConfig.from(ingest);
            TriePublisherConfig.from(config);
            SidConfig sid = SidConfig.from(config);
            KMeansOptions.from(sid);
            RqVaeOptions.from(config.section("sid"));
            if (run.getBoolean("gateway")) {
                GatewayConfig.from(ingest);
            }
            if (run.getBoolean("jobs")) {
                FlinkJobConfig.from(config);
                WindowsConfig.from(config);
            }
            if (run.getBoolean("serving")) {
                ServingNodeConfig.from(config);
            }
            if (run.getBoolean("trainer")) {
                TrainerConfig.from(config);
                ControlConfig.from(config);
                OfflineTable.Settings.from(config);
            }
        } catch (com.typesafe.config.ConfigException e) {
            throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
        }
    }

    private static void port(int port, String key) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(key + " must be 0..65535, got " + port);
        }
    }
}
