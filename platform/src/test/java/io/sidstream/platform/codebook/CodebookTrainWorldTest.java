package io.sidstream.platform.codebook;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.platform.cli.SidstreamCommand;
import io.sidstream.tokenizer.codebook.Codebook;
import io.sidstream.tokenizer.codebook.CodebookFormat;
import io.sidstream.tokenizer.codebook.CodebookStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sidstream codebook train --world N} as the launcher wires it: codebook-training may not link ingest, so the
 * launcher hands the synthetic world's catalog to the command.
 */
class CodebookTrainWorldTest {

    @TempDir
    Path dir;

    @Test
    void trainsAnRqVaeOnTheSyntheticWorldsCatalog() throws Exception {
        int code = SidstreamCommand.commandLine()
                .execute(
                        "codebook",
                        "train",
                        "--world",
                        "2000",
                        "--method",
                        "rqvae",
                        "--version",
                        "rq-world",
                        "--set",
                        "sid.codebook-dir=" + dir,
                        "--set",
                        "sid.codes-per-level=16",
                        "--set",
                        "sid.rqvae.epochs=2",
                        "--set",
                        "sid.rqvae.batch-size=256",
                        "--set",
                        "sid.rqvae.latent-dim=8",
                        "--set",
                        "sid.rqvae.hidden-dim=32");
        assertThat(code).isZero();

        CodebookStore.Stored stored = new CodebookStore(dir).load("rq-world");
        Codebook codebook = CodebookFormat.read(Files.readAllBytes(stored.file()));
        assertThat(codebook.learned()).isTrue();
        assertThat(codebook.embeddingModel()).isEqualTo("sidstream-synthetic-384");
        assertThat(codebook.dim()).isEqualTo(384);
        assertThat(codebook.quantizer().dim()).isEqualTo(8);
        assertThat(stored.quality().items()).isEqualTo(2_000);
    }
}
