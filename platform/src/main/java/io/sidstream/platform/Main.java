package io.sidstream.platform;

import io.sidstream.core.config.ConfigLoader;
import io.sidstream.platform.cli.SidstreamCommand;
import io.sidstream.platform.logging.LogFormat;

/** Entry point of the {@code sidstream} command. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        ConfigLoader.whenLoaded(LogFormat::apply);
        System.exit(SidstreamCommand.commandLine().execute(args));
    }
}
