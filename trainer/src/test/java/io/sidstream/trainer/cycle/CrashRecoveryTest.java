package io.sidstream.trainer.cycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.testing.KafkaTestSupport;
import io.sidstream.core.topic.Topic;
import io.sidstream.model.checkpoint.LocalCheckpointStore;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.schemas.serde.AvroWireSerializer;
import io.sidstream.trainer.ScriptedExamples;
import io.sidstream.trainer.TrainerConfig;
import io.sidstream.trainer.data.KafkaExampleSource;
import io.sidstream.trainer.eval.ScriptedWorld;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashRecoveryTest {

    private static KafkaTestSupport kafka;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaTestSupport.startWithCatalogTopics();
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void aCrashBetweenTrainingAndCheckpointNeitherLosesNorDoubleCountsExamples(@TempDir Path checkpoints) {
        ScriptedWorld.Params params = new ScriptedWorld.Params(8, 6, 1, 3, 40, 4, 0.9, 256, 3, 64, 5);
        List<TrainingExample> all = ScriptedExamples.from(new ScriptedWorld(params), 20, "cb-1");
        List<TrainingExample> first = all.subList(0, all.size() / 2);
        List<TrainingExample> second = all.subList(all.size() / 2, all.size());
        SidstreamConfig config = kafka.config(Map.of(
                "trainer.checkpoint.dir",
                checkpoints.toString(),
                "trainer.model.max-history",
                "20",
                "trainer.model.d-model",
                "32",
                "trainer.model.ffn-dim",
                "64",
                "trainer.cycle.max-steps",
                "15",
                "trainer.cycle.holdout-fraction",
                "0.2",
                "trainer.cycle.poll-timeout",
                "200ms"));
        TrainerConfig trainer = TrainerConfig.from(config);

        produce(config, first);
        produceGarbage(config);
        List<String> committedTrained = new ArrayList<>();
        List<List<TrainingExample>> lastHoldout = new ArrayList<>(List.of(List.of()));
        CycleHooks accounting = new CycleHooks() {
            @Override
            public void committed(CycleResult result, List<TrainingExample> trainedNew, List<TrainingExample> holdout) {
                trainedNew.forEach(e -> committedTrained.add(e.getExampleId()));
                lastHoldout.set(0, holdout);
            }
        };

        CycleResult cycle1 = runOnce(config, trainer, checkpoints, accounting);
        assertThat(cycle1.newExamples()).isEqualTo(first.size());
        assertThat(cycle1.published()).isTrue();
        assertThat(kafka.readRaw(Topic.TRAINING_EXAMPLES.deadLetterTopic(), 1, Duration.ofSeconds(10)))
                .hasSize(1);

        produce(config, second);
        List<Integer> seenByCrashedCycle = new ArrayList<>();
        CycleHooks crashing = new CycleHooks() {
            @Override
            public void afterTraining(
                    io.sidstream.model.block.SidRecModel candidate, List<TrainingExample> trainedNew) {
                seenByCrashedCycle.add(trainedNew.size());
                throw new IllegalStateException("injected crash after training, before the checkpoint");
            }
        };
        assertThatThrownBy(() -> runOnce(config, trainer, checkpoints, crashing))
                .hasMessageContaining("injected crash");
        assertThat(seenByCrashedCycle).hasSize(1);
        assertThat(seenByCrashedCycle.get(0)).isGreaterThan(second.size() / 2);

        CycleResult cycle2 = runOnce(config, trainer, checkpoints, accounting);
        assertThat(cycle2.newExamples()).isEqualTo(second.size());
        assertThat(cycle2.fromScratch()).isFalse();

        // every example was trained on by exactly one committed cycle, except the newest holdout, which waits
        Set<String> expected = new HashSet<>();
        all.forEach(e -> expected.add(e.getExampleId()));
        List<String> accounted = new ArrayList<>(committedTrained);
        lastHoldout.get(0).forEach(e -> accounted.add(e.getExampleId()));
        assertThat(accounted).doesNotHaveDuplicates();
        assertThat(new HashSet<>(accounted)).isEqualTo(expected);
        assertThat(accounted).hasSize(all.size());

        CycleResult idle = runOnce(config, trainer, checkpoints, accounting);
        assertThat(idle.newExamples()).isZero();
        assertThat(idle.version()).isNull();
    }

    private static CycleResult runOnce(
            SidstreamConfig config, TrainerConfig trainer, Path checkpoints, CycleHooks hooks) {
        try (KafkaExampleSource source = new KafkaExampleSource(config, "trainer-test", Duration.ofMillis(200))) {
            CycleRunner runner =
                    new CycleRunner(trainer, source, new LocalCheckpointStore(checkpoints, 3), Device.cpu(), hooks);
            return runner.runCycle("on-demand");
        }
    }

    private static void produce(SidstreamConfig config, List<TrainingExample> examples) {
        try (KafkaProducer<String, TrainingExample> producer = new KafkaProducer<>(
                config.kafka().producer("test"),
                new StringSerializer(),
                AvroWireSerializer.create(config.registry(), TrainingExample.class))) {
            for (TrainingExample e : examples) {
                producer.send(new ProducerRecord<>(Topic.TRAINING_EXAMPLES.topicName(), e.getUserId(), e));
            }
            producer.flush();
        }
    }

    private static void produceGarbage(SidstreamConfig config) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                config.kafka().producer("garbage"), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                    Topic.TRAINING_EXAMPLES.topicName(),
                    "x".getBytes(StandardCharsets.UTF_8),
                    "not avro".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }
}
