package io.sidstream.ingest.cli;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Reads durations the way the configuration does: {@code 90s}, {@code 10m}, {@code 2h}, {@code 1d}. */
public final class Durations implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        try {
            return ConfigFactory.parseString("d = \"" + value.replace("\"", "") + "\"")
                    .getDuration("d");
        } catch (ConfigException e) {
            throw new IllegalArgumentException("'" + value + "' is not a duration (e.g. 90s, 10m, 2h)");
        }
    }
}
