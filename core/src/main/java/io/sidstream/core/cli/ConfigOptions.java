package io.sidstream.core.cli;

import io.sidstream.core.config.ConfigLoader;
import io.sidstream.core.config.SidstreamConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The configuration options every subcommand takes: a file, then SIDSTREAM_* variables, then --set flags. */
public final class ConfigOptions {

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "Configuration file (HOCON, JSON or .properties) over the defaults.")
    public Path file;

    @Option(
            names = {"-s", "--set"},
            paramLabel = "KEY=VALUE",
            description = "Set one configuration key; wins over the file and the environment. Repeatable.")
    public Map<String, String> overrides = new LinkedHashMap<>();

    public SidstreamConfig load() {
        return ConfigLoader.load(Optional.ofNullable(file), System.getenv(), overrides);
    }

    /** With a command's profile (a classpath resource) over the defaults and under the file, environment and flags. */
    public SidstreamConfig load(String profileResource) {
        return ConfigLoader.load(
                Optional.ofNullable(file),
                System.getenv(),
                overrides,
                com.typesafe.config.ConfigFactory.parseResources(
                        ConfigOptions.class.getClassLoader(),
                        profileResource,
                        com.typesafe.config.ConfigParseOptions.defaults().setAllowMissing(false)));
    }

    /**
     * The configuration of a command that runs one part against a running cluster: refuses the {@code embedded}
     * placeholder with the same hint everywhere ({@code sidstream up} runs every part on the embedded broker).
     */
    public SidstreamConfig loadForCluster(String command) {
        return load().requireCluster(command);
    }
}
