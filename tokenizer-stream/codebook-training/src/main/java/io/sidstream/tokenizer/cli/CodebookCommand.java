package io.sidstream.tokenizer.cli;

import picocli.CommandLine.Command;

/** {@code sidstream codebook ...}: train a codebook over a catalog of embeddings, publish it to the running jobs. */
@Command(
        name = "codebook",
        description = "Train and publish SID codebooks.",
        subcommands = {CodebookTrainCommand.class, CodebookPublishCommand.class},
        mixinStandardHelpOptions = true)
public final class CodebookCommand implements Runnable {

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(
                new picocli.CommandLine(this), "name a subcommand: train or publish");
    }
}
