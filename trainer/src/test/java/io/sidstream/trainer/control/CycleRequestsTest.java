package io.sidstream.trainer.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.testing.KafkaTestSupport;
import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.TrainerAction;
import io.sidstream.schemas.TrainerCommand;
import io.sidstream.schemas.serde.AvroWireSerializer;
import io.sidstream.trainer.cycle.CycleResult;
import io.sidstream.trainer.service.TrainerService;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CycleRequestsTest {

    private static KafkaTestSupport kafka;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaTestSupport.startWithCatalogTopics();
        // in catalog order, as up registers them: the records the mock-registry test sends from "another process"
        // then decode here too (and are ignored, being for another model line) instead of landing in the DLQ
        io.sidstream.core.topic.TopicSchemas.registerAll(kafka.config().registry());
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void onlyFreshRequestsForItsModelStartCyclesAndARestartDoesNotRepeatThem() throws Exception {
        SidstreamConfig config = kafka.config(
                Map.of("trainer.control.group-id", "control-requests-test", "trainer.control.poll-timeout", "100ms"));
        ControlConfig control = ControlConfig.from(config);
        Instant now = Instant.now();
        send(
                config,
                command(
                        "stale",
                        control.modelName(),
                        now.minus(control.maxAge()).minusSeconds(60)));
        send(config, command("other-line", "another-model", now));
        sendGarbage();
        send(config, command("fresh", control.modelName(), now));

        AtomicInteger cycles = new AtomicInteger();
        CycleRequests first =
                new CycleRequests(config, control, requestedAt -> cycles.incrementAndGet(), Clock.systemUTC());
        Thread reader = new Thread(first, "control-reader");
        reader.start();
        // one partition, so once the fresh request is handled, the three before it were too
        await().atMost(Duration.ofSeconds(30)).until(() -> first.accepted() == 1);
        assertThat(cycles).hasValue(1);
        assertThat(kafka.readAll(Topic.TRAINER_CONTROL.deadLetterTopic(), DeadLetter.class, 1, Duration.ofSeconds(10)))
                .singleElement()
                .satisfies(dl -> assertThat(dl.value().getStage()).isEqualTo(CycleRequests.STAGE));
        first.stop();
        reader.join(10_000);
        assertThat(reader.isAlive()).isFalse();

        // a restarted reader of the same group resumes after what was handed over
        send(config, command("after-restart", control.modelName(), Instant.now()));
        CycleRequests second =
                new CycleRequests(config, control, requestedAt -> cycles.incrementAndGet(), Clock.systemUTC());
        Thread restarted = new Thread(second, "control-reader-restarted");
        restarted.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> second.accepted() == 1);
        assertThat(cycles).hasValue(2);
        second.stop();
        restarted.join(10_000);
    }

    @Test
    void aRequestOnTheTopicMakesTheRunningTrainerRunACycle(@TempDir Path checkpoints) throws Exception {
        SidstreamConfig config = kafka.config(Map.of(
                "trainer.checkpoint.dir",
                checkpoints.toString(),
                "trainer.cycle.interval",
                "1h",
                "trainer.cycle.min-new-examples",
                "0",
                "trainer.cycle.poll-timeout",
                "200ms",
                "trainer.control.group-id",
                "control-service-test",
                "trainer.control.poll-timeout",
                "100ms",
                // its own model line: the other test's requests on the shared topic are not for this trainer
                "publisher.checkpoint.model-name",
                "control-service-test-model"));
        try (TrainerService trainer = new TrainerService(config, Clock.systemUTC()).start()) {
            CycleRequestSender.send(config, "test", "a test asked", Clock.systemUTC());
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !trainer.results().isEmpty());
            assertThat(trainer.results()).extracting(CycleResult::trigger).containsExactly("on-demand");
        }
    }

    /**
     * Issue 23, finding 4: {@code train --request-cycle}, a process of its own beside {@code up} with a mock://
     * registry, printed "requested a cycle" while its request was dead-lettered as INCOMPATIBLE_SCHEMA (each mock
     * registry numbered schemas its own way). Two mock scopes stand for the two processes.
     */
    @Test
    void aRequestFromAnotherProcessWithItsOwnMockRegistryReachesTheTrainer() throws Exception {
        String bootstrap = kafka.config().kafka().bootstrapServers();
        SidstreamConfig up = kafka.config(Map.of(
                "registry.url",
                "mock://up-process",
                "trainer.control.group-id",
                "control-mock-test",
                "trainer.control.poll-timeout",
                "100ms",
                "publisher.checkpoint.model-name",
                "mock-line"));
        io.sidstream.core.topic.TopicSchemas.registerAll(up.registry()); // what up does at start
        AtomicInteger cycles = new AtomicInteger();
        CycleRequests reader = new CycleRequests(
                up, ControlConfig.from(up), requestedAt -> cycles.incrementAndGet(), Clock.systemUTC());
        Thread thread = new Thread(reader, "control-reader-mock");
        thread.start();
        try {
            int rc = new picocli.CommandLine(new io.sidstream.trainer.cli.TrainCommand())
                    .execute(
                            "--request-cycle",
                            "--set",
                            "kafka.bootstrap.servers=" + bootstrap,
                            "--set",
                            "registry.url=mock://cli-process",
                            "--set",
                            "publisher.checkpoint.model-name=mock-line");
            assertThat(rc).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.accepted() == 1);
            assertThat(cycles).hasValue(1);
        } finally {
            reader.stop();
            thread.join(10_000);
        }
    }

    private static TrainerCommand command(String id, String model, Instant at) {
        return TrainerCommand.newBuilder()
                .setRequestId(id)
                .setModelName(model)
                .setAction(TrainerAction.RUN_CYCLE)
                .setRequestedBy("test")
                .setRequestedTime(at)
                .build();
    }

    private static void send(SidstreamConfig config, TrainerCommand command) {
        try (KafkaProducer<String, TrainerCommand> producer = new KafkaProducer<>(
                config.kafka().producer("test"),
                new StringSerializer(),
                AvroWireSerializer.create(config.registry(), TrainerCommand.class))) {
            producer.send(new ProducerRecord<>(Topic.TRAINER_CONTROL.topicName(), command.getModelName(), command));
            producer.flush();
        }
    }

    private static void sendGarbage() {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                kafka.config().kafka().producer("garbage"), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                    Topic.TRAINER_CONTROL.topicName(),
                    "x".getBytes(StandardCharsets.UTF_8),
                    "not avro".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }
}
