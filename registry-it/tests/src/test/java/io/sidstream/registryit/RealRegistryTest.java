package io.sidstream.registryit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.testing.KafkaTestSupport;
import io.sidstream.core.topic.Topic;
import io.sidstream.core.topic.TopicAdmin;
import io.sidstream.core.topic.TopicSchemas;
import io.sidstream.core.topic.TopicSpec;
import io.sidstream.schemas.CheckpointPublished;
import io.sidstream.schemas.Device;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.HistoryItem;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.Surface;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.schemas.serde.AvroWireDeserializer;
import io.sidstream.schemas.serde.AvroWireSerializer;
import io.sidstream.schemas.serde.DecodeError;
import io.sidstream.schemas.serde.RegistryConfig;
import io.sidstream.schemas.serde.SchemaRegistryClients;
import io.sidstream.schemas.serde.WireFormat;
import io.sidstream.schemas.serde.WireFormatException;
import io.sidstream.tokenizer.window.job.SequenceWindowsJob;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform against a real Schema Registry over HTTP (Apicurio Registry's Confluent-compatible API, its own JVM,
 * basic auth): the contracts register through {@link TopicSchemas}; records go through the serde and the embedded
 * broker and come back by schema id; a breaking change is refused under BACKWARD compatibility; clients without or
 * with wrong credentials are refused; and the sequence-windows job runs with its registry pointed at the server.
 */
class RealRegistryTest {

    private static final Instant T0 = Instant.parse("2026-11-01T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ApicurioRegistryServer registry;
    private static KafkaTestSupport kafka;
    /** The contracts' subjects and ids, registered once at start-up (concurrent first registrations can 409). */
    private static Map<String, Integer> registered;

    @BeforeAll
    static void start() throws Exception {
        Path target = Path.of(System.getProperty("sidstream.apicurio.log.dir", "target"));
        registry = ApicurioRegistryServer.start(
                Path.of(System.getProperty("sidstream.apicurio.app")),
                target.resolve("apicurio-registry.log"),
                "pw-" + UUID.randomUUID());
        kafka = KafkaTestSupport.start();
        // one partition each for the job's inputs, so the order written is the order read
        List<TopicSpec> specs = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            boolean ordered = topic == Topic.ENGAGEMENTS || topic == Topic.SID_ASSIGNMENTS;
            specs.addAll(topic.specs(ordered ? 1 : topic.defaultPartitions(), (short) 1));
        }
        try (Admin admin = kafka.admin()) {
            new TopicAdmin(admin).ensure(specs);
        }
        registered = TopicSchemas.registerAll(config(Map.of()).registry());
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    /** The test broker's configuration with the real registry and its credentials, plus {@code overrides}. */
    private static SidstreamConfig config(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>();
        all.put("registry.url", registry.url());
        all.put("registry.client.basic.auth.credentials.source", "USER_INFO");
        all.put("registry.client.basic.auth.user.info", ApicurioRegistryServer.USER + ":" + registry.password());
        all.putAll(overrides);
        return kafka.config(all);
    }

    @Test
    void everyContractIsRegisteredUnderItsSubjectAndReadBackById() throws Exception {
        Map<String, String> expectedTypes = new LinkedHashMap<>();
        for (Topic topic : Topic.values()) {
            expectedTypes.put(topic.topicName() + "-value", topic.valueType().getName());
            if (topic.hasDeadLetters()) {
                expectedTypes.put(
                        topic.deadLetterTopic() + "-value",
                        Topic.deadLetterType().getName());
            }
        }
        assertThat(registered.keySet()).containsExactlyElementsOf(expectedTypes.keySet());

        HttpResponse<String> subjects = registry.call("GET", "/subjects", null);
        assertThat(subjects.statusCode()).isEqualTo(200);
        List<String> listed = new ArrayList<>();
        JSON.readTree(subjects.body()).forEach(s -> listed.add(s.asText()));
        assertThat(listed).containsAll(expectedTypes.keySet());

        SchemaRegistryClient fresh =
                SchemaRegistryClients.create(config(Map.of()).registry());
        for (Map.Entry<String, Integer> subject : registered.entrySet()) {
            Schema byId = new Schema.Parser()
                    .parse(fresh.getSchemaById(subject.getValue()).canonicalString());
            assertThat(byId.getFullName()).as(subject.getKey()).isEqualTo(expectedTypes.get(subject.getKey()));
        }
        // registering again is a lookup: same ids
        assertThat(TopicSchemas.registerAll(config(Map.of()).registry())).isEqualTo(registered);
    }

    @Test
    void recordsGoThroughTheBrokerAndAreDecodedByLookingTheirSchemaUpById() throws Exception {
        String topic = "registry-it-engagements";
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        SidstreamConfig config = config(Map.of());
        List<Engagement> sent =
                List.of(like("r1", "u1", "v1", 1), like("r2", "u2", "v2", 2), like("r3", "u1", "v3", 3));
        try (KafkaProducer<String, Engagement> producer = new KafkaProducer<>(
                new HashMap<>(config.kafka().producer("registry-it-producer")),
                new StringSerializer(),
                AvroWireSerializer.create(config.registry(), Engagement.class))) {
            for (Engagement e : sent) {
                producer.send(new ProducerRecord<>(topic, e.getUserId(), e)).get();
            }
        }
        List<ConsumerRecord<byte[], byte[]>> raw = kafka.readRaw(topic, sent.size(), Duration.ofSeconds(30));
        assertThat(raw).hasSize(sent.size());
        // a new subject for the same schema: the registry gives it the id the contract already has
        assertThat(raw)
                .allSatisfy(
                        r -> assertThat(WireFormat.schemaId(r.value())).isEqualTo(registered.get("engagements-value")));

        // a fresh deserializer knows no schema: each id is looked up over HTTP
        AvroWireDeserializer<Engagement> values = AvroWireDeserializer.create(config.registry(), Engagement.class);
        assertThat(raw.stream().map(r -> values.deserialize(topic, r.value())).toList())
                .isEqualTo(sent);
    }

    @Test
    void aBreakingChangeIsRefusedUnderBackwardCompatibility() throws Exception {
        String subject = "checkpoints-value";
        HttpResponse<String> set = registry.call("PUT", "/config/" + subject, "{\"compatibility\":\"BACKWARD\"}");
        assertThat(set.statusCode()).isEqualTo(200);
        HttpResponse<String> level = registry.call("GET", "/config/" + subject, null);
        assertThat(JSON.readTree(level.body()).path("compatibilityLevel").asText())
                .isEqualTo("BACKWARD");

        SchemaRegistryClient client =
                SchemaRegistryClients.create(config(Map.of()).registry());
        // a new field without a default: a reader with it cannot read what was written before
        AvroSchema breaking = new AvroSchema(withField(
                        CheckpointPublished.getClassSchema(),
                        new Schema.Field("trainingRunId", Schema.create(Schema.Type.STRING), "run that produced it"))
                .toString());
        assertThat(client.testCompatibility(subject, breaking)).isFalse();
        assertThatThrownBy(() -> client.register(subject, breaking))
                .isInstanceOfSatisfying(
                        RestClientException.class,
                        e -> assertThat(e.getStatus()).isEqualTo(409));

        // an optional field with a default is an allowed evolution and gets a new version
        AvroSchema compatible = new AvroSchema(withField(
                        CheckpointPublished.getClassSchema(),
                        new Schema.Field(
                                "trainingRunId",
                                Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                                "run that produced it",
                                JsonProperties.NULL_VALUE))
                .toString());
        assertThat(client.testCompatibility(subject, compatible)).isTrue();
        int evolvedId = client.register(subject, compatible);
        assertThat(evolvedId).isNotEqualTo(registered.get(subject));
        assertThat(client.getAllVersions(subject)).hasSize(2);
    }

    @Test
    void clientsWithoutOrWithWrongCredentialsAreRefused() throws Exception {
        RegistryConfig anonymous = new RegistryConfig(registry.url(), true, Map.of());
        RegistryConfig wrongPassword = new RegistryConfig(
                registry.url(),
                true,
                Map.of(
                        "basic.auth.credentials.source",
                        "USER_INFO",
                        "basic.auth.user.info",
                        ApicurioRegistryServer.USER + ":not-the-password"));
        for (RegistryConfig refused : List.of(anonymous, wrongPassword)) {
            SchemaRegistryClient client = SchemaRegistryClients.create(refused);
            assertThatThrownBy(client::getAllSubjects)
                    .isInstanceOfSatisfying(
                            RestClientException.class,
                            e -> assertThat(e.getStatus()).isEqualTo(401));
            // through the serde: registration fails loudly, and so does decoding a record by its id
            assertThatThrownBy(() -> AvroWireSerializer.create(refused, Engagement.class)
                            .serialize("engagements", like("x", "u", "v", 0)))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining("cannot register");
            byte[] written = AvroWireSerializer.create(config(Map.of()).registry(), Engagement.class)
                    .serialize("engagements", like("y", "u", "v", 0));
            assertThatThrownBy(() -> AvroWireDeserializer.create(refused, Engagement.class)
                            .deserialize("engagements", written))
                    .isInstanceOfSatisfying(
                            WireFormatException.class,
                            e -> assertThat(e.error()).isEqualTo(DecodeError.REGISTRY_UNAVAILABLE));
        }
    }

    @Test
    void theSequenceWindowsJobReadsAndWritesThroughTheRealRegistry(@TempDir Path checkpoints) throws Exception {
        // the contracts are registered; the job and its upstream only look their ids up
        SidstreamConfig config = config(Map.of(
                "registry.auto-register", "false",
                "flink.checkpoint-dir", checkpoints.toString(),
                "flink.checkpoint-interval", "500ms",
                "windows.out-of-orderness", "1s",
                "windows.allowed-lateness", "1s",
                "windows.state-backend", "hashmap",
                "windows.transactional-id-prefix", "registry-it"));
        AvroWireSerializer<SidAssigned> assignments = AvroWireSerializer.create(config.registry(), SidAssigned.class);
        AvroWireSerializer<Engagement> engagements = AvroWireSerializer.create(config.registry(), Engagement.class);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                new HashMap<>(config.kafka().producer("registry-it-job-producer")),
                new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (int v = 1; v <= 3; v++) {
                SidAssigned sid = SidAssigned.newBuilder()
                        .setVideoId("v" + v)
                        .setCodes(List.of(v, v, v, 0))
                        .setCodebookVersion("cb-1")
                        .setEmbeddingModel("test-model")
                        .setUploadTime(T0)
                        .setAssignedTime(T0)
                        .build();
                producer.send(new ProducerRecord<>(
                        Topic.SID_ASSIGNMENTS.topicName(),
                        sid.getVideoId(),
                        assignments.serialize(Topic.SID_ASSIGNMENTS.topicName(), sid)));
            }
            producer.flush();

            JobClient job = SequenceWindowsJob.start(config);
            try {
                String examples = Topic.TRAINING_EXAMPLES.topicName();
                // the first example means the catalog is loaded
                send(producer, engagements, like("e1", "u1", "v1", 100));
                assertThat(readExamples(config, 1, Duration.ofSeconds(90))).hasSize(1);
                send(producer, engagements, like("e2", "u1", "v2", 110));
                send(producer, engagements, like("e3", "u1", "v3", 120));

                List<ConsumerRecord<byte[], byte[]>> raw = kafka.readRaw(examples, 3, Duration.ofSeconds(60));
                assertThat(raw)
                        .hasSize(3)
                        .allSatisfy(r -> assertThat(WireFormat.schemaId(r.value()))
                                .isEqualTo(registered.get(examples + "-value")));
                Map<String, TrainingExample> byId = readExamples(config, 3, Duration.ofSeconds(10)).stream()
                        .collect(Collectors.toMap(TrainingExample::getExampleId, Function.identity()));
                assertThat(byId.keySet()).containsExactlyInAnyOrder("e1", "e2", "e3");
                assertThat(history(byId.get("e1"))).isEmpty();
                assertThat(history(byId.get("e2"))).containsExactly("v1");
                assertThat(history(byId.get("e3"))).containsExactly("v1", "v2");
                assertThat(byId.get("e3").getTargetSid()).containsExactly(3, 3, 3, 0);
                assertThat(kafka.readRaw(Topic.ENGAGEMENTS.deadLetterTopic(), 1, Duration.ofSeconds(1)))
                        .isEmpty();
            } finally {
                job.cancel().get();
            }
        }
    }

    private static void send(
            KafkaProducer<String, byte[]> producer, AvroWireSerializer<Engagement> serializer, Engagement e) {
        producer.send(new ProducerRecord<>(
                Topic.ENGAGEMENTS.topicName(), e.getUserId(), serializer.serialize(Topic.ENGAGEMENTS.topicName(), e)));
        producer.flush();
    }

    /** Training examples decoded by a fresh deserializer on the real registry (committed records only). */
    private static List<TrainingExample> readExamples(SidstreamConfig config, int expected, Duration timeout) {
        AvroWireDeserializer<TrainingExample> values =
                AvroWireDeserializer.create(config.registry(), TrainingExample.class);
        String topic = Topic.TRAINING_EXAMPLES.topicName();
        return kafka.readRaw(topic, expected, timeout).stream()
                .map(r -> values.deserialize(topic, r.value()))
                .toList();
    }

    private static List<String> history(TrainingExample example) {
        return example.getHistory().stream().map(HistoryItem::getVideoId).toList();
    }

    private static Engagement like(String eventId, String userId, String videoId, long secondsAfterT0) {
        return Engagement.newBuilder()
                .setEventId(eventId)
                .setUserId(userId)
                .setVideoId(videoId)
                .setEventType(EventType.LIKE)
                .setWatchTimeMs(0)
                .setVideoDurationMs(100_000)
                .setSurface(Surface.HOME)
                .setDevice(Device.TV)
                .setCountry("DE")
                .setEventTime(T0.plusSeconds(secondsAfterT0))
                .setContextVideoId(null)
                .build();
    }

    /** {@code schema} with one more field at the end. */
    private static Schema withField(Schema schema, Schema.Field added) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(added);
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }
}
