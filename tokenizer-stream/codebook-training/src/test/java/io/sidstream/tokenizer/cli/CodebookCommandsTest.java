package io.sidstream.tokenizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.core.testing.KafkaTestSupport;
import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.CodebookPublished;
import io.sidstream.tokenizer.catalog.SyntheticCatalog;
import io.sidstream.tokenizer.codebook.Codebook;
import io.sidstream.tokenizer.codebook.CodebookFormat;
import io.sidstream.tokenizer.codebook.CodebookStore;
import io.sidstream.tokenizer.codebook.EmbeddingsFile;
import io.sidstream.tokenizer.job.CodebookLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code codebook train} then {@code codebook publish}, as the launcher runs them, against the embedded broker. */
class CodebookCommandsTest {

    @TempDir
    Path dir;

    @Test
    void trainsFromAnFvecsCatalogStoresAndPublishesAVerifiableCodebook() throws Exception {
        Path catalog = dir.resolve("catalog.fvecs");
        EmbeddingsFile.write(catalog, new SyntheticCatalog(64, 4, 4, 0.6, 0.35, 1).embeddings(1_000));
        try (KafkaTestSupport kafka = KafkaTestSupport.startWithCatalogTopics()) {
            String[] common = {
                "--set",
                "kafka.bootstrap.servers=" + kafka.broker().bootstrapServers(),
                "--set",
                "registry.url=" + kafka.config().registry().url(),
                "--set",
                "sid.codebook-dir=" + dir.resolve("books"),
                "--set",
                "sid.codes-per-level=16",
                "--set",
                "sid.kmeans-iterations=3"
            };

            int trained = new CommandLine(new CodebookCommand())
                    .execute(concat(
                            new String[] {
                                "train", "--input", catalog.toString(), "--version", "cb-cli", "--model", "upstream-64"
                            },
                            common));
            assertThat(trained).isZero();
            assertThat(dir.resolve("books/cb-cli.codebook")).exists();
            assertThat(Files.readString(dir.resolve("books/cb-cli.quality.json")))
                    .contains("\"collisionShare\"");

            int published = new CommandLine(new CodebookCommand())
                    .execute(concat(new String[] {"publish", "--version", "cb-cli"}, common));
            assertThat(published).isZero();

            List<ConsumerRecord<String, CodebookPublished>> records =
                    kafka.readAll(Topic.CODEBOOKS.topicName(), CodebookPublished.class, 1, Duration.ofSeconds(30));
            assertThat(records).hasSize(1);
            CodebookPublished announced = records.get(0).value();
            assertThat(records.get(0).key()).isEqualTo("upstream-64");
            assertThat(announced.getLevels()).isEqualTo(3);
            assertThat(announced.getCodesPerLevel()).isEqualTo(16);
            assertThat(announced.getEmbeddingDim()).isEqualTo(64);
            assertThat(announced.getQuality().getItems()).isEqualTo(1_000);
            assertThat(CodebookLoader.load(announced).version()).isEqualTo("cb-cli");
            announced.setPayload(null); // the artifact at its URI verifies too
            assertThat(CodebookLoader.load(announced).embeddingModel()).isEqualTo("upstream-64");
        }
    }

    @Test
    void trainsAnRqVaeOnTheStandInCatalog() throws Exception {
        int code = new CommandLine(new CodebookCommand())
                .execute(
                        "train",
                        "--synthetic",
                        "2000",
                        "--method",
                        "rqvae",
                        "--version",
                        "rq-synthetic",
                        "--model",
                        "stand-in-384",
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

        CodebookStore.Stored stored = new CodebookStore(dir).load("rq-synthetic");
        Codebook codebook = CodebookFormat.read(Files.readAllBytes(stored.file()));
        assertThat(codebook.learned()).isTrue();
        assertThat(codebook.embeddingModel()).isEqualTo("stand-in-384");
        assertThat(codebook.dim()).isEqualTo(384);
        assertThat(codebook.quantizer().dim()).isEqualTo(8);
        assertThat(stored.quality().items()).isEqualTo(2_000);
    }

    @Test
    void theWorldsCatalogNeedsTheLauncher() throws Exception {
        // the synthetic world is ingest's; only the launcher (platform) hands it in, see platform's
        // CodebookTrainWorldTest
        int code = new CommandLine(new CodebookCommand())
                .execute("train", "--world", "100", "--set", "sid.codebook-dir=" + dir);
        assertThat(code).isEqualTo(2);
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void anUnknownMethodIsRejected() throws Exception {
        int code = new CommandLine(new CodebookCommand())
                .execute("train", "--synthetic", "300", "--method", "pca", "--set", "sid.codebook-dir=" + dir);
        assertThat(code).isNotZero();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void trainWithoutACatalogIsAUsageError() {
        int code = new CommandLine(new CodebookCommand()).execute("train", "--set", "sid.codebook-dir=" + dir);
        assertThat(code).isEqualTo(2);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
