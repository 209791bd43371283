package io.sidstream.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PodMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.sidstream.core.config.ConfigLoader;
import io.sidstream.core.topic.Topic;
import io.sidstream.core.topic.TopicSpec;
import io.sidstream.platform.cli.SidstreamCommand;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The manifests in ops/k8s, checked without a cluster: every document is read into the operator's or Kubernetes'
 * own model classes (fabric8, Strimzi) and any field those do not know is an error; FlinkDeployments are validated
 * against the Flink Kubernetes Operator's CRD schema; and what they say must agree with the code (topics with the
 * catalog, the configuration with the config loader, container commands with the launcher).
 */
class KubernetesManifestsTest {

    private static final ObjectMapper YAML = Manifests.YAML;
    private static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("Namespace", Namespace.class),
            Map.entry("ConfigMap", ConfigMap.class),
            Map.entry("PersistentVolumeClaim", PersistentVolumeClaim.class),
            Map.entry("Service", Service.class),
            Map.entry("Deployment", Deployment.class),
            Map.entry("HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("ServiceMonitor", ServiceMonitor.class),
            Map.entry("PodMonitor", PodMonitor.class),
            Map.entry("Kafka", Kafka.class),
            Map.entry("KafkaNodePool", KafkaNodePool.class),
            Map.entry("KafkaTopic", KafkaTopic.class),
            Map.entry("KafkaUser", KafkaUser.class));

    private static List<JsonNode> documents;

    @BeforeAll
    static void readManifests() {
        documents = Manifests.all();
    }

    @Test
    void everyDocumentReadsIntoItsModelWithoutUnknownFields() throws Exception {
        assertThat(documents).hasSizeGreaterThan(30);
        for (JsonNode doc : documents) {
            String kind = doc.get("kind").asText();
            String where = kind + " " + doc.at("/metadata/name").asText();
            assertThat(doc.at("/metadata/namespace").asText("sidstream"))
                    .as(where)
                    .isEqualTo("sidstream");
            if (kind.equals("FlinkDeployment")) {
                continue; // schema-validated below
            }
            assertThat(MODELS).as("a model for %s", where).containsKey(kind);
            Object model = YAML.treeToValue(doc, MODELS.get(kind));
            List<String> unknown = new ArrayList<>();
            collectUnknownFields(model, kind, unknown, new IdentityHashMap<>());
            assertThat(unknown).as("fields the %s model does not know", where).isEmpty();
        }
    }

    @Test
    void flinkDeploymentsMatchTheOperatorsCrdSchema() throws Exception {
        JsonSchema schema = flinkDeploymentSchema();
        List<JsonNode> deployments = documents.stream()
                .filter(d -> d.get("kind").asText().equals("FlinkDeployment"))
                .toList();
        assertThat(deployments)
                .extracting(d -> d.at("/metadata/name").asText())
                .containsExactlyInAnyOrder("sid-assign", "sequence-windows");
        for (JsonNode deployment : deployments) {
            Set<ValidationMessage> errors = schema.validate(deployment.get("spec"));
            assertThat(errors)
                    .as("FlinkDeployment %s", deployment.at("/metadata/name").asText())
                    .isEmpty();
            assertThat(deployment.at("/spec/job/upgradeMode").asText()).isEqualTo("savepoint");
            assertThat(deployment
                            .at("/spec/flinkConfiguration/execution.checkpointing.dir")
                            .asText())
                    .startsWith("s3://");
        }
        assertThat(deployments)
                .filteredOn(d -> d.at("/metadata/name").asText().equals("sequence-windows"))
                .allSatisfy(d -> assertThat(d.at("/spec/flinkConfiguration/state.backend.type")
                                .asText())
                        .isEqualTo("rocksdb"));
    }

    @Test
    void kafkaTopicsAreTheCatalog() {
        Map<String, TopicSpec> catalog = new TreeMap<>();
        for (Topic topic : Topic.values()) {
            topic.specs(topic.defaultPartitions(), (short) 3).forEach(spec -> catalog.put(spec.name(), spec));
        }
        Map<String, JsonNode> manifests = documents.stream()
                .filter(d -> d.get("kind").asText().equals("KafkaTopic"))
                .collect(Collectors.toMap(d -> d.at("/spec/topicName").asText(), d -> d, (a, b) -> a, TreeMap::new));

        assertThat(manifests.keySet()).isEqualTo(catalog.keySet());
        catalog.forEach((name, spec) -> {
            JsonNode topic = manifests.get(name);
            assertThat(topic.at("/spec/partitions").asInt())
                    .as("partitions of %s", name)
                    .isGreaterThanOrEqualTo(spec.partitions());
            assertThat(topic.at("/spec/replicas").asInt())
                    .as("replicas of %s", name)
                    .isEqualTo(3);
            spec.configs()
                    .forEach((key, value) -> assertThat(
                                    topic.at("/spec/config").path(key).asText())
                            .as("%s of %s", key, name)
                            .isEqualTo(value));
        });
    }

    @Test
    void theConfigMapIsAValidSidstreamConfigurationAndContainersRunLauncherCommands() throws IOException {
        JsonNode configMap = documents.stream()
                .filter(d -> d.get("kind").asText().equals("ConfigMap"))
                .findFirst()
                .orElseThrow();
        Path conf = Files.createTempFile("sidstream", ".conf");
        Files.writeString(conf, configMap.at("/data/sidstream.conf").asText());
        // unknown keys or bad values fail here exactly as they would in the pods
        assertThat(ConfigLoader.load(Optional.of(conf), Map.of(), Map.of())
                        .kafka()
                        .bootstrapServers())
                .isEqualTo("sidstream-kafka-bootstrap.sidstream.svc:9093");

        Set<String> commands = SidstreamCommand.commandLine().getSubcommands().keySet();
        List<JsonNode> deployments = documents.stream()
                .filter(d -> d.get("kind").asText().equals("Deployment"))
                .toList();
        assertThat(deployments)
                .extracting(d -> d.at("/spec/template/spec/containers/0/args/0").asText())
                .containsExactlyInAnyOrder("train", "publish", "serve", "gateway")
                .allSatisfy(command -> assertThat(commands).contains(command));
        // the gateway binds every interface, so it refuses to start without the tokens its Deployment passes in
        JsonNode gateway = deployments.stream()
                .filter(d -> d.at("/metadata/name").asText().equals("gateway"))
                .findFirst()
                .orElseThrow();
        List<String> gatewayEnv = new java.util.ArrayList<>();
        gateway.at("/spec/template/spec/containers/0/env")
                .forEach(e -> gatewayEnv.add(e.get("name").asText()));
        assertThat(gatewayEnv).contains("SIDSTREAM_INGEST_GATEWAY_AUTH__TOKENS");
        Map<String, String> gatewayFlags = Map.of("ingest.gateway.host", "0.0.0.0");
        assertThat(gateway.at("/spec/template/spec/containers/0/args").toString())
                .contains("ingest.gateway.host=0.0.0.0");
        assertThat(io.sidstream.ingest.gateway.GatewayConfig.from(ConfigLoader.load(
                                        Optional.of(conf),
                                        Map.of(
                                                "SIDSTREAM_INGEST_GATEWAY_AUTH__TOKENS",
                                                "token-from-a-secret-1,token-from-a-secret-2"),
                                        gatewayFlags)
                                .section("ingest"))
                        .authTokens())
                .hasSize(2);
        assertThatThrownBy(() -> io.sidstream.ingest.gateway.GatewayConfig.from(
                        ConfigLoader.load(Optional.of(conf), Map.of(), gatewayFlags)
                                .section("ingest")))
                .hasMessageContaining("auth-tokens is empty");
        assertThat(gateway.at("/spec/template/spec/containers/0/ports/0/containerPort")
                        .asInt())
                .isEqualTo(io.sidstream.ingest.gateway.GatewayConfig.from(
                                ConfigLoader.defaults().section("ingest"))
                        .port());
        JsonNode trainer = deployments.stream()
                .filter(d -> d.at("/metadata/name").asText().equals("trainer"))
                .findFirst()
                .orElseThrow();
        assertThat(trainer.at("/spec/template/spec/containers/0/resources/limits/nvidia.com~1gpu")
                        .asText())
                .isEqualTo("1");
        // a stop abandons the running cycle within the trainer's stop timeout, then closes its clients (~10 s more)
        assertThat(trainer.at("/spec/template/spec/terminationGracePeriodSeconds")
                        .asLong())
                .isGreaterThanOrEqualTo(io.sidstream.trainer.service.TrainerService.STOP_TIMEOUT.toSeconds() + 15);
    }

    /** The operator's CRD schema; it predates Flink 2.x, so its flinkVersion enum gains v2_0 and v2_1 (operator 1.12+). */
    private static JsonSchema flinkDeploymentSchema() throws IOException {
        JsonNode crd;
        try (InputStream in = KubernetesManifestsTest.class.getResourceAsStream(
                "/META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml")) {
            crd = YAML.readTree(in);
        }
        // the spec is what the operator defines; apiVersion, kind and metadata are Kubernetes' own
        ObjectNode schema = (ObjectNode) crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
        ArrayNode versions = (ArrayNode) schema.at("/properties/flinkVersion/enum");
        versions.add("v2_0").add("v2_1");
        forbidUnknownProperties(schema);
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
    }

    /** Structural CRD schemas prune unknown fields silently; here they are errors, so a typo cannot pass. */
    private static void forbidUnknownProperties(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties")
                    && !object.has("additionalProperties")
                    && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                object.put("additionalProperties", false);
            }
            object.elements().forEachRemaining(KubernetesManifestsTest::forbidUnknownProperties);
        } else if (node instanceof ArrayNode array) {
            array.forEach(KubernetesManifestsTest::forbidUnknownProperties);
        }
    }

    /** fabric8 and Strimzi models keep fields they do not know in additionalProperties; any found is a typo. */
    private static void collectUnknownFields(
            Object model, String path, List<String> unknown, IdentityHashMap<Object, Boolean> seen) throws Exception {
        if (model == null || seen.put(model, true) != null) {
            return;
        }
        if (model instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                collectUnknownFields(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (model instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                collectUnknownFields(entry.getValue(), path + "." + entry.getKey(), unknown, seen);
            }
            return;
        }
        String type = model.getClass().getName();
        if (!type.startsWith("io.fabric8.") && !type.startsWith("io.strimzi.")) {
            return;
        }
        for (Method getter : model.getClass().getMethods()) {
            if (getter.getParameterCount() != 0
                    || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value = getter.invoke(model);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
            } else {
                collectUnknownFields(value, path + "." + getter.getName().substring(3), unknown, seen);
            }
        }
    }
}
