package io.sidstream.tokenizer.cli;

import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.tokenizer.codebook.Codebook;
import io.sidstream.tokenizer.codebook.CodebookFormat;
import io.sidstream.tokenizer.codebook.CodebookPublisher;
import io.sidstream.tokenizer.codebook.CodebookStore;
import io.sidstream.tokenizer.sid.SidConfig;
import java.nio.file.Files;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sidstream codebook publish --version V}: announces a stored codebook on the codebooks topic. */
@Command(
        name = "publish",
        description = "Publish a stored codebook on the codebooks topic; running sid-assign jobs "
                + "switch to it and re-assign every video.",
        mixinStandardHelpOptions = true)
public final class CodebookPublishCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--version", required = true, paramLabel = "NAME", description = "The stored codebook version.")
    String version;

    @Override
    public Integer call() throws Exception {
        SidstreamConfig config = configOptions.load();
        CodebookStore.Stored stored = new CodebookStore(SidConfig.from(config).codebookDir()).load(version);
        byte[] artifact = Files.readAllBytes(stored.file());
        Codebook codebook = CodebookFormat.read(artifact);
        new CodebookPublisher(config)
                .publish(CodebookPublisher.announcement(
                        codebook,
                        artifact,
                        stored.file().toAbsolutePath().toUri().toString(),
                        stored.quality(),
                        Instant.now()));
        System.out.println("published codebook " + version + " for " + codebook.embeddingModel() + " (sha256 "
                + stored.sha256() + ")");
        return 0;
    }
}
