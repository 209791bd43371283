package io.sidstream.serving.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.metrics.MetricsScrape;
import io.sidstream.core.testing.KafkaTestSupport;
import io.sidstream.core.topic.Topic;
import io.sidstream.model.checkpoint.CheckpointAnnouncer;
import io.sidstream.model.checkpoint.CheckpointLayout;
import io.sidstream.model.checkpoint.LocalCheckpointStore;
import io.sidstream.model.checkpoint.OfflineTableFile;
import io.sidstream.publisher.trie.TriePublisher;
import io.sidstream.publisher.trie.TriePublisherConfig;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.schemas.serde.AvroWireSerializer;
import io.sidstream.serving.node.ServingNode;
import io.sidstream.serving.node.ServingNodeConfig;
import io.sidstream.serving.trie.ServingTrie;
import io.sidstream.serving.trie.TrieSubscriber;
import io.sidstream.trainer.TrainerConfig;
import io.sidstream.trainer.cycle.CycleResult;
import io.sidstream.trainer.cycle.CycleRunner;
import io.sidstream.trainer.data.Examples;
import io.sidstream.trainer.data.InMemoryExampleSource;
import io.sidstream.trainer.eval.Interaction;
import io.sidstream.trainer.eval.ScriptedWorld;
import io.sidstream.trainer.publish.AnnouncingHooks;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole model path on the embedded broker: a tiny model trained on scripted examples is published by a cycle,
 * announced, verified and loaded by a serving node through the real loader, and answers over HTTP; a SID added after
 * the load is servable; a later checkpoint with a damaged file is refused and the old model keeps answering.
 */
class TrainedModelServingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CODEBOOK = "cb-1";
    private static final List<Integer> FRESH_SID = List.of(255, 255, 255, 63);

    @Test
    void aTrainedCheckpointIsAnnouncedLoadedAndServedWithTheLiveTrieAndACorruptOneIsRefused(@TempDir Path checkpoints)
            throws Exception {
        ScriptedWorld world = new ScriptedWorld(new ScriptedWorld.Params(6, 6, 1, 2, 40, 5, 0.9, 256, 3, 64, 3));
        List<TrainingExample> examples = examples(world);
        try (KafkaTestSupport kafka = KafkaTestSupport.startWithCatalogTopics()) {
            SidstreamConfig config = kafka.config(Map.ofEntries(
                    Map.entry("trainer.checkpoint.dir", checkpoints.toString()),
                    Map.entry("trainer.model.max-history", "20"),
                    Map.entry("trainer.model.d-model", "32"),
                    Map.entry("trainer.model.ffn-dim", "64"),
                    Map.entry("trainer.cycle.max-steps", "20"),
                    Map.entry("trainer.cycle.holdout-fraction", "0.2"),
                    Map.entry("serving.port", "0"),
                    Map.entry("publisher.trie.delta-interval", "200ms")));
            world.sids().forEach((video, sid) -> send(config, Topic.SID_ASSIGNMENTS, video, assigned(video, sid)));

            ServingTrie trie = new ServingTrie();
            TriePublisher publisher = new TriePublisher(config, TriePublisherConfig.from(config), Clock.systemUTC());
            TrieSubscriber trieSubscriber = new TrieSubscriber(config, trie, "node-1", Clock.systemUTC());
            ModelHolder holder =
                    new ModelHolder(new TrainerModelLoader(trie, Device.cpu(), Clock.systemUTC()), Clock.systemUTC());
            CheckpointSubscriber checkpointSubscriber = new CheckpointSubscriber(config, "sidstream", "node-1", holder);
            List<Thread> threads = Stream.of(publisher, trieSubscriber, checkpointSubscriber)
                    .map(r -> new Thread(r, r.getClass().getSimpleName()))
                    .toList();
            threads.forEach(Thread::start);
            LocalCheckpointStore store = new LocalCheckpointStore(checkpoints, 5);
            try (ServingNode node = new ServingNode(ServingNodeConfig.from(config), holder).start();
                    CheckpointAnnouncer announcer = new CheckpointAnnouncer(config, "sidstream", Clock.systemUTC())) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> trie.size(CODEBOOK) == world.sids().size());

                InMemoryExampleSource source = new InMemoryExampleSource();
                source.append(examples);
                CycleResult cycle = new CycleRunner(
                                TrainerConfig.from(config),
                                source,
                                store,
                                Device.cpu(),
                                new AnnouncingHooks(store, announcer))
                        .runCycle("on-demand");
                assertThat(cycle.published()).isTrue();
                assertThat(new String(MetricsScrape.scrape(), java.nio.charset.StandardCharsets.UTF_8))
                        .contains("sidstream_trainer_cycles_total{outcome=\"published\"}");
                Path v1 = checkpoints.resolve(cycle.version());
                assertThat(v1.resolve(CheckpointLayout.OFFLINE_TABLE)).isNotEmptyFile();

                await().atMost(Duration.ofSeconds(60))
                        .until(() -> holder.current().isPresent());
                assertThat(holder.current().get().version()).isEqualTo(1);
                int port = node.port();

                // a user's history: the model answers, names its version, never returns what was watched
                List<String> history = examples.get(examples.size() - 1).getHistory().stream()
                        .map(h -> h.getVideoId())
                        .toList();
                List<String> historyWithUnknown = new ArrayList<>(history);
                historyWithUnknown.add("never-uploaded");
                JsonNode answer = post(port, Map.of("history", historyWithUnknown, "k", 5));
                assertThat(answer.get("modelVersion").asLong()).isEqualTo(1);
                assertThat(answer.get("source").asText()).isEqualTo("model");
                List<String> items = ids(answer);
                assertThat(items)
                        .hasSize(5)
                        .doesNotContainAnyElementsOf(history)
                        .allMatch(world.sids()::containsKey);

                // no history: the offline table for the context video, else the most popular videos
                String contextVideo = OfflineTableFile.read(
                                Files.newInputStream(v1.resolve(CheckpointLayout.OFFLINE_TABLE)))
                        .keySet()
                        .iterator()
                        .next();
                JsonNode fallback = post(port, Map.of("k", 3, "context", Map.of("contextVideoId", contextVideo)));
                assertThat(fallback.get("source").asText()).isEqualTo("fallback");
                assertThat(ids(fallback)).hasSize(3).doesNotContain(contextVideo);
                JsonNode popular = post(port, Map.of("k", 3));
                assertThat(popular.get("source").asText()).isEqualTo("popular");
                assertThat(ids(popular)).hasSize(3);

                // a SID that became valid after the model loaded: with a beam wider than the trie, every live video
                // comes back, and now the new one too
                Map<String, Object> everything =
                        Map.of("history", List.of(history.get(history.size() - 1)), "k", 100, "beamWidth", 100);
                assertThat(ids(post(port, everything))).doesNotContain("fresh-1");
                send(config, Topic.SID_ASSIGNMENTS, "fresh-1", assigned("fresh-1", FRESH_SID));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> trie.sid(CODEBOOK, "fresh-1").isPresent());
                assertThat(ids(post(port, everything))).contains("fresh-1");

                // version 2 is the same checkpoint with a damaged parameter file: refused, version 1 keeps serving
                Path v2 = checkpoints.resolve("v000002");
                copy(v1, v2);
                byte[] parameters = Files.readAllBytes(v2.resolve("parameters.bin"));
                parameters[parameters.length / 2] ^= 0x5a;
                Files.write(v2.resolve("parameters.bin"), parameters);
                announcer.announce(new CheckpointAnnouncer.Version(
                        "v000002", v2, CODEBOOK, Map.of(), Instant.now(), Map.of(), "v000001"));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> holder.lastRejection().isPresent());
                assertThat(holder.lastRejection().get())
                        .contains("version 2")
                        .contains("parameters.bin")
                        .contains("sha256");
                assertThat(holder.current().get().version()).isEqualTo(1);
                assertThat(post(port, Map.of("history", history, "k", 5))
                                .get("modelVersion")
                                .asLong())
                        .isEqualTo(1);
                JsonNode health = JSON.readTree(get(port, "/healthz"));
                assertThat(health.get("lastRejectedCheckpoint").asText()).contains("version 2");

                // issue 23, finding 1: a node that starts now finds the damaged version 2 as the newest announcement;
                // it serves the newest older version it can verify from the store instead of answering 503
                ModelHolder restarted = new ModelHolder(
                        new TrainerModelLoader(trie, Device.cpu(), Clock.systemUTC()), Clock.systemUTC());
                CheckpointSubscriber restartedSubscriber =
                        new CheckpointSubscriber(config, "sidstream", "node-2", restarted);
                Thread restartedThread = new Thread(restartedSubscriber, "restarted-node");
                restartedThread.start();
                try {
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> restarted.current().isPresent());
                    assertThat(restarted.current().get().version()).isEqualTo(1);
                    assertThat(restarted.lastRejection().orElseThrow()).contains("version 2");
                } finally {
                    restartedSubscriber.stop();
                    restartedThread.join(15_000);
                    restarted.close();
                }
            } finally {
                publisher.stop();
                trieSubscriber.stop();
                checkpointSubscriber.stop();
                for (Thread thread : threads) {
                    thread.join(15_000);
                }
                holder.close();
            }
        }
    }

    /** One example per interaction that follows an earlier one of the same user, as the windows job emits them. */
    static List<TrainingExample> examples(ScriptedWorld world) {
        Map<String, List<Interaction>> seen = new HashMap<>();
        List<TrainingExample> out = new ArrayList<>();
        for (Interaction i : world.interactions()) {
            List<Interaction> history = seen.computeIfAbsent(i.userId(), u -> new ArrayList<>());
            if (!history.isEmpty()) {
                List<Interaction> window = history.subList(Math.max(0, history.size() - 20), history.size());
                out.add(Examples.example(i.userId(), List.copyOf(window), i, world.sids(), CODEBOOK));
            }
            history.add(i);
        }
        return out;
    }

    static SidAssigned assigned(String video, List<Integer> sid) {
        Instant now = Instant.now();
        return new SidAssigned(video, sid, CODEBOOK, "test-embedding", now, now);
    }

    private static List<String> ids(JsonNode answer) {
        List<String> ids = new ArrayList<>();
        answer.get("items").forEach(item -> ids.add(item.get("videoId").asText()));
        return ids;
    }

    private static JsonNode post(int port, Map<String, Object> body) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/recommend"))
                                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String get(int port, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> void send(
            SidstreamConfig config, Topic topic, String key, V value) {
        @SuppressWarnings("unchecked")
        Class<V> type = (Class<V>) value.getClass();
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(
                config.kafka().producer("serving-test"),
                new StringSerializer(),
                AvroWireSerializer.create(config.registry(), type))) {
            producer.send(new ProducerRecord<>(topic.topicName(), key, value));
            producer.flush();
        }
    }
}
