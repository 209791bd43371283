package io.sidstream.serving.node;

import com.typesafe.config.Config;
import io.sidstream.core.config.SidstreamConfig;

/** The {@code serving} section. */
public record ServingNodeConfig(
        String host,
        int port,
        String modelName,
        String nodeId,
        int defaultK,
        int maxK,
        int defaultBeamWidth,
        int maxBeamWidth,
        int maxHistory) {

    public ServingNodeConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("serving.port must be 0..65535, got " + port);
        }
        if (defaultK < 1 || maxK < defaultK) {
            throw new IllegalArgumentException("serving.default-k must be >= 1 and <= serving.max-k");
        }
        if (defaultBeamWidth < 1 || maxBeamWidth < defaultBeamWidth) {
            throw new IllegalArgumentException("serving.default-beam-width must be >= 1 and <= serving.max-beam-width");
        }
        if (maxHistory < 1) {
            throw new IllegalArgumentException("serving.max-history must be at least 1");
        }
        if (modelName.isBlank() || nodeId.isBlank()) {
            throw new IllegalArgumentException("serving.model-name and serving.node-id must not be empty");
        }
    }

    public static ServingNodeConfig from(SidstreamConfig config) {
        Config c = config.section("serving");
        return new ServingNodeConfig(
                c.getString("host"),
                c.getInt("port"),
                c.getString("model-name"),
                c.getString("node-id"),
                c.getInt("default-k"),
                c.getInt("max-k"),
                c.getInt("default-beam-width"),
                c.getInt("max-beam-width"),
                c.getInt("max-history"));
    }
}
