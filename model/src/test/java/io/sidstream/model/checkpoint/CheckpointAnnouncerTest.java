package io.sidstream.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sidstream.core.testing.KafkaTestSupport;
import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.CheckpointPublished;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointAnnouncerTest {

    private static final Instant NOW = Instant.parse("2026-11-23T11:00:00Z");

    @Test
    void aPublishedVersionIsAnnouncedKeyedByModelWithItsManifestDigestAndOffsets(@TempDir Path root) throws Exception {
        Path dir = Files.createDirectories(root.resolve("v000012"));
        Files.writeString(dir.resolve("manifest.json"), "{\"files\":{}}", StandardCharsets.UTF_8);
        try (KafkaTestSupport kafka = KafkaTestSupport.startWithCatalogTopics();
                CheckpointAnnouncer announcer =
                        new CheckpointAnnouncer(kafka.config(), "sidstream", Clock.fixed(NOW, ZoneOffset.UTC))) {
            announcer.announce(new CheckpointAnnouncer.Version(
                    "v000012",
                    dir,
                    "cb7",
                    Map.of("recall_at_10", 0.4),
                    NOW.minusSeconds(600),
                    Map.of(0, 120L, 2, 7L),
                    "v000010"));

            List<ConsumerRecord<String, CheckpointPublished>> records =
                    kafka.readAll(Topic.CHECKPOINTS.topicName(), CheckpointPublished.class, 1, Duration.ofSeconds(30));
            assertThat(records).hasSize(1);
            assertThat(records.get(0).key()).isEqualTo("sidstream");
            CheckpointPublished a = records.get(0).value();
            assertThat(a.getVersion()).isEqualTo(12);
            assertThat(a.getParentVersion()).isEqualTo(10L);
            assertThat(a.getUri()).isEqualTo(dir.toUri().toString()).startsWith("file:/");
            // sha256 of the manifest's bytes, computed independently
            assertThat(a.getManifestSha256())
                    .isEqualTo(java.util.HexFormat.of()
                            .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                    .digest("{\"files\":{}}".getBytes(StandardCharsets.UTF_8))));
            assertThat(a.getCodebookVersion()).isEqualTo("cb7");
            assertThat(a.getMetrics()).containsEntry("recall_at_10", 0.4);
            assertThat(a.getSourceOffsets())
                    .containsOnly(Map.entry("training-examples-0", 120L), Map.entry("training-examples-2", 7L));
            assertThat(a.getDataWatermark()).isEqualTo(NOW.minusSeconds(600));
            assertThat(a.getPublishedTime()).isEqualTo(NOW);

            assertThatThrownBy(() -> announcer.announce(new CheckpointAnnouncer.Version(
                            "v000013", root.resolve("missing"), "cb7", Map.of(), NOW, Map.of(), null)))
                    .hasMessageContaining("manifest.json");
        }
    }
}
