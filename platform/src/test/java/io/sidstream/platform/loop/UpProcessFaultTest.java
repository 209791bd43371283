package io.sidstream.platform.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sidstream.core.config.ConfigLoader;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.core.topic.TopicScan;
import io.sidstream.core.topic.TopicSchemas;
import io.sidstream.model.checkpoint.CheckpointLayout;
import io.sidstream.model.checkpoint.LocalCheckpointStore;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.TrainingExample;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite on the real thing (issue 23): {@code sidstream up} as a process of its own, as a user runs it.
 * Garbage and null records on every input topic, {@code kill -9} mid-stream, the newest published checkpoint damaged
 * on disk, a restart, then SIGTERM while a training cycle runs. Asserted: every bad record dead-lettered, no SID or
 * example written twice and no SID changed across the crash, a model served after the restart although the newest one
 * is damaged (the trainer quarantines it), and a stop within seconds that publishes nothing half-done.
 */
class UpProcessFaultTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void crashDamageAndStopsCostNoRecordNoSidNoModel(@TempDir Path dir) throws Exception {
        Map<String, String> ports = new LinkedHashMap<>();
        for (String key : List.of(
                "embedded.kafka-port",
                "embedded.controller-port",
                "metrics.port",
                "platform.status-port",
                "serving.port",
                "ingest.gateway.port")) {
            ports.put(key, String.valueOf(LoopTestSupport.freePort()));
        }
        Map<String, String> settings = LoopTestSupport.embeddedSettings(dir);
        settings.putAll(ports);
        // short cycles that always publish, so two models exist before the crash
        settings.put("trainer.cycle.interval", "10s");
        settings.put("trainer.cycle.min-new-examples", "300");
        settings.put("trainer.cycle.max-time", "3s");
        settings.put("trainer.cycle.check-interval", "1s");
        settings.put("trainer.cycle.gate-tolerance", "1.0");
        settings.put("trainer.offline-table.videos", "50");
        // a smaller first catalogue (still more than a codebook level's 256 codes) for a quicker first start
        settings.put("ingest.simulate.initial-videos", "600");
        String bootstrap = "127.0.0.1:" + ports.get("embedded.kafka-port");
        // the child's mock registry numbers schemas in catalog order; a scope of ours registered the same way reads
        // them
        SidstreamConfig reader = ConfigLoader.withOverrides(
                Map.of("kafka.bootstrap.servers", bootstrap, "registry.url", "mock://up-process-fault-test"));
        TopicSchemas.registerAll(reader.registry());
        Path checkpoints = dir.resolve("checkpoints");

        // run 1: garbage everywhere, two published models, then kill -9 in the middle of the stream
        Map<String, String> sidsBeforeCrash;
        try (SidstreamProcess up = SidstreamProcess.up(dir, "run-1", settings)) {
            up.awaitUp();
            produceGarbageOnEveryInputTopic(reader);
            await().atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> published(checkpoints).size() >= 2);
            sidsBeforeCrash = sids(reader);
            assertThat(sidsBeforeCrash).hasSizeGreaterThanOrEqualTo(600);
            up.kill9();
        }

        // the newest published model damaged on disk while the platform is down, as the issue did by hand
        List<String> models = published(checkpoints);
        String damaged = models.get(models.size() - 1);
        xor48Bytes(checkpoints.resolve(damaged).resolve("parameters.bin"));

        // run 2: long cycles, so SIGTERM lands in one
        settings.put("trainer.cycle.max-time", "10m");
        settings.put("trainer.cycle.max-steps", "100000000");
        settings.put("trainer.cycle.min-new-examples", "0");
        settings.put("trainer.cycle.interval", "1h");
        try (SidstreamProcess up = SidstreamProcess.up(dir, "run-2", settings)) {
            up.awaitUp();
            // a model is served although the newest one is damaged: the newest older one that verifies
            String health = "http://127.0.0.1:" + ports.get("serving.port") + "/healthz";
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> get(health).statusCode() == 200);
            long served = JSON.readTree(get(health).body()).get("modelVersion").asLong();
            assertThat(served).isLessThan(LocalCheckpointStoreVersions.number(damaged));
            assertThat(checkpoints.resolve(LocalCheckpointStore.QUARANTINE).resolve(damaged))
                    .isDirectory();

            // exactly once across the crash: every video one SID, none changed; every example once
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> sids(reader).size() > sidsBeforeCrash.size());
            List<SidAssigned> assignments = decodable(reader, Topic.SID_ASSIGNMENTS, SidAssigned.class);
            assertThat(duplicates(
                            assignments.stream().map(SidAssigned::getVideoId).toList()))
                    .isEmpty();
            Map<String, String> sidsAfter = sids(reader);
            sidsBeforeCrash.forEach((video, sid) ->
                    assertThat(sidsAfter.get(video)).as("SID of %s", video).isEqualTo(sid));
            List<TrainingExample> examples = decodable(reader, Topic.TRAINING_EXAMPLES, TrainingExample.class);
            assertThat(duplicates(
                            examples.stream().map(TrainingExample::getExampleId).toList()))
                    .isEmpty();
            assertGarbageWasDeadLettered(reader);
            // the project's own loss check, as an operator runs it beside up: every settled upload accounted for
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(() -> {
                        java.io.StringWriter out = new java.io.StringWriter();
                        picocli.CommandLine cli = io.sidstream.platform.cli.SidstreamCommand.commandLine();
                        cli.setOut(new java.io.PrintWriter(out));
                        int rc = cli.execute(
                                "check-delivery",
                                "--settle",
                                "30",
                                "--set",
                                "kafka.bootstrap.servers=" + bootstrap,
                                "--set",
                                "registry.url=mock://check-delivery-process");
                        assertThat(rc).as(out.toString()).isZero();
                        assertThat(out.toString())
                                .contains("nothing lost, nothing written twice")
                                .contains("dead-lettered");
                    });

            // SIGTERM while a cycle trains: the stop abandons it and ends within seconds, writing nothing
            List<String> versionsBefore = versions(checkpoints);
            String status = "http://127.0.0.1:" + ports.get("platform.status-port");
            HttpResponse<String> requested = HTTP.send(
                    HttpRequest.newBuilder(URI.create(status + "/api/trainer/cycle"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(requested.statusCode()).as(requested.body()).isEqualTo(202);
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> JSON.readTree(get(status + "/api/status").body())
                            .path("trainer")
                            .path("state")
                            .asText()
                            .startsWith("training"));
            Duration stop = up.sigterm();
            System.out.printf("SIGTERM to exit of up while a cycle trained: %.1f s%n", stop.toMillis() / 1000.0);
            assertThat(stop).as("SIGTERM to exit while a cycle trains").isLessThan(SidstreamProcess.STOP_BOUND);
            assertThat(up.log()).contains("sidstream: stopped cleanly").contains("cycle abandoned");
            assertThat(versions(checkpoints)).isEqualTo(versionsBefore);
            try (Stream<Path> entries = Files.list(checkpoints)) {
                assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-"));
            }
        }
    }

    /** Not Avro, and no value at all, on every topic a part of the platform reads. */
    private static void produceGarbageOnEveryInputTopic(SidstreamConfig config) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                config.kafka().producer("fault-test"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Topic topic : List.of(
                    Topic.VIDEO_UPLOADS,
                    Topic.ENGAGEMENTS,
                    Topic.VIDEO_REMOVALS,
                    Topic.CODEBOOKS,
                    Topic.SID_ASSIGNMENTS,
                    Topic.TRAINING_EXAMPLES,
                    Topic.TRAINER_CONTROL)) {
                byte[] key = "fault-test".getBytes(StandardCharsets.UTF_8);
                producer.send(
                        new ProducerRecord<>(topic.topicName(), 0, key, "not avro".getBytes(StandardCharsets.UTF_8)));
                if (topic.cleanup() == Topic.Cleanup.DELETE) {
                    producer.send(new ProducerRecord<>(topic.topicName(), 0, key, null));
                }
            }
            producer.flush();
        }
    }

    private static void assertGarbageWasDeadLettered(SidstreamConfig config) {
        for (Topic topic : List.of(
                Topic.VIDEO_UPLOADS,
                Topic.ENGAGEMENTS,
                Topic.VIDEO_REMOVALS,
                Topic.CODEBOOKS,
                Topic.SID_ASSIGNMENTS,
                Topic.TRAINING_EXAMPLES,
                Topic.TRAINER_CONTROL)) {
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> {
                        List<String> classes =
                                TopicScan.values(config, topic.deadLetterTopic(), DeadLetter.class).stream()
                                        .filter(letter -> letter.getKey() != null
                                                && StandardCharsets.UTF_8
                                                        .decode(letter.getKey().duplicate())
                                                        .toString()
                                                        .equals("fault-test"))
                                        .map(DeadLetter::getErrorClass)
                                        .toList();
                        assertThat(classes)
                                .as("dead letters of %s", topic.topicName())
                                .contains("BAD_MAGIC_BYTE");
                        if (topic.cleanup() == Topic.Cleanup.DELETE) {
                            assertThat(classes)
                                    .as("dead letters of %s", topic.topicName())
                                    .contains("NULL_VALUE");
                        }
                    });
        }
    }

    /** Video id to SID (codes and codebook version) of every live assignment. */
    private static Map<String, String> sids(SidstreamConfig config) {
        return decodable(config, Topic.SID_ASSIGNMENTS, SidAssigned.class).stream()
                .collect(Collectors.toMap(
                        SidAssigned::getVideoId, s -> s.getCodebookVersion() + s.getCodes(), (a, b) -> a + "|" + b));
    }

    /**
     * The complete versions in the store, oldest first, read the way a serving node reads them: opening the store
     * itself would sweep the running trainer's half-written version.
     */
    private static List<String> versions(Path checkpoints) throws IOException {
        if (!Files.isDirectory(checkpoints)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(checkpoints)) {
            return entries.filter(p -> p.getFileName().toString().matches("v\\d+"))
                    .filter(p -> Files.isRegularFile(p.resolve(CheckpointLayout.MANIFEST)))
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }

    private static List<String> published(Path checkpoints) throws IOException {
        return versions(checkpoints).stream()
                .filter(v -> LocalCheckpointStore.openDirectory(checkpoints.resolve(v))
                        .map(c -> c.meta().published())
                        .orElse(false))
                .toList();
    }

    private static void xor48Bytes(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] bytes = new byte[48];
            raf.seek(raf.length() / 2);
            raf.readFully(bytes);
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] ^= (byte) 0xa5;
            }
            raf.seek(raf.length() / 2);
            raf.write(bytes);
        }
    }

    /** The records of a topic that decode: this test's own garbage is on the topics too. */
    private static <V extends org.apache.avro.specific.SpecificRecord> List<V> decodable(
            SidstreamConfig config, Topic topic, Class<V> type) {
        List<V> out = new ArrayList<>();
        try (var decoder = io.sidstream.schemas.serde.AvroWireDeserializer.create(config.registry(), type)) {
            TopicScan.all(config, topic.topicName(), record -> {
                if (record.value() != null && record.value().length > 0 && record.value()[0] == 0) {
                    out.add(decoder.deserialize(record.topic(), record.value()));
                }
            });
        }
        return out;
    }

    private static List<String> duplicates(List<String> ids) {
        return ids.stream().collect(Collectors.groupingBy(id -> id, Collectors.counting())).entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey)
                .toList();
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code v000012} -> 12. */
    private static final class LocalCheckpointStoreVersions {
        static long number(String version) {
            return Long.parseLong(version.substring(1));
        }
    }
}
