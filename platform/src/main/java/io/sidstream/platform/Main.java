package io.sidstream.platform;

import io.sidstream.platform.cli.SidstreamCommand;
import picocli.CommandLine;

/** Entry point of the {@code sidstream} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(SidstreamCommand.commandLine().execute(args));
    }
}
