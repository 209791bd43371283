package io.sidstream.tokenizer.codebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sidstream.tokenizer.catalog.SyntheticCatalog;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodebookFormatTest {

    @TempDir
    Path dir;

    private final float[][] catalog = new SyntheticCatalog(24, 4, 3, 0.6, 0.35, 3).embeddings(400);

    @Test
    void writesAndReadsBackBitForBitWithOffsetsAndHeader() {
        CodebookTrainer.Trained trained =
                new CodebookTrainer(new KMeansOptions(2, 8, 3, 1, true, 1.2), 16).train("v7", "test-model", catalog);
        Codebook codebook = trained.codebook();

        byte[] bytes = CodebookFormat.write(codebook);
        Codebook read = CodebookFormat.readVerified(bytes, CodebookFormat.sha256(bytes));

        assertThat(read.version()).isEqualTo("v7");
        assertThat(read.embeddingModel()).isEqualTo("test-model");
        assertThat(read.maxCollisionTokens()).isEqualTo(16);
        assertThat(read.createdAt())
                .isEqualTo(Instant.ofEpochMilli(codebook.createdAt().toEpochMilli()));
        for (int l = 0; l < 2; l++) {
            assertThat(read.quantizer().centroids(l))
                    .containsExactly(codebook.quantizer().centroids(l));
            assertThat(read.quantizer().offsets(l))
                    .containsExactly(codebook.quantizer().offsets(l));
        }
        assertThat(CodebookFormat.write(read)).isEqualTo(bytes);
    }

    @Test
    void anRqVaeCodebookCarriesItsEncoderAndDecoder() {
        RqVaeOptions options = new RqVaeOptions(2, 8, 6, 16, 2, 64, 0.003, 0.25, 0.9, 1);
        CodebookTrainer.Trained trained = CodebookTrainer.rqVae(options, 16).train("rq-1", "m", catalog);
        Codebook codebook = trained.codebook();

        byte[] bytes = CodebookFormat.write(codebook);
        Codebook read = CodebookFormat.readVerified(bytes, CodebookFormat.sha256(bytes));

        assertThat(read.learned()).isTrue();
        assertThat(read.dim()).isEqualTo(24);
        assertThat(read.quantizer().dim()).isEqualTo(6);
        assertThat(read.autoencoder().decoder().layers().get(1).weights())
                .containsExactly(
                        codebook.autoencoder().decoder().layers().get(1).weights());
        assertThat(CodebookFormat.write(read)).isEqualTo(bytes);
        for (float[] x : Arrays.copyOf(catalog, 20)) {
            assertThat(read.prefix(x)).containsExactly(codebook.prefix(x));
        }
        assertThat(QualityReport.evaluate(read, catalog)).isEqualTo(trained.quality());
        assertThatThrownBy(() -> CodebookFormat.read(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void aCodebookWithoutEncoderStaysInTheFirstFormat() {
        Codebook codebook = new CodebookTrainer(new KMeansOptions(1, 4, 2, 1, false, 1.0), 4)
                .train("v1", "m", catalog)
                .codebook();

        byte[] bytes = CodebookFormat.write(codebook);
        assertThat(java.nio.ByteBuffer.wrap(bytes, 4, 4).getInt()).isEqualTo(1);
        assertThat(CodebookFormat.read(bytes).learned()).isFalse();
    }

    @Test
    void rejectsAWrongShaATruncatedFileAndForeignBytes() {
        Codebook codebook = new CodebookTrainer(new KMeansOptions(1, 4, 2, 1, false, 1.0), 4)
                .train("v1", "m", catalog)
                .codebook();
        byte[] bytes = CodebookFormat.write(codebook);

        assertThatThrownBy(() -> CodebookFormat.readVerified(bytes, "00ff")).hasMessageContaining("sha256");
        assertThatThrownBy(() -> CodebookFormat.read(Arrays.copyOf(bytes, bytes.length - 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> CodebookFormat.read("hello world!".getBytes()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("magic");
    }

    @Test
    void theStoreKeepsArtifactShaAndQualityReport() {
        CodebookTrainer.Trained trained =
                new CodebookTrainer(new KMeansOptions(2, 8, 3, 1, true, 1.2), 16).train("stored-1", "m", catalog);
        CodebookStore store = new CodebookStore(dir);
        CodebookStore.Stored saved = store.save(trained.codebook(), trained.quality());

        CodebookStore.Stored loaded = store.load("stored-1");
        assertThat(loaded.sha256()).isEqualTo(saved.sha256());
        assertThat(loaded.quality()).isEqualTo(trained.quality());
        assertThatThrownBy(() -> store.load("missing")).hasMessageContaining("no codebook missing");
        assertThatThrownBy(() -> store.artifact("../evil")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void embeddingsFilesRoundTripInTheFvecsFormat() throws Exception {
        Path file = dir.resolve("catalog.fvecs");
        EmbeddingsFile.write(file, catalog);

        float[][] read = EmbeddingsFile.read(file);
        assertThat(read).hasDimensions(400, 24);
        assertThat(read[399]).containsExactly(catalog[399]);
    }
}
