package io.sidstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.sidstream.core.config.ConfigLoader;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.metrics.MetricsEndpoint;
import io.sidstream.core.topic.Topic;
import io.sidstream.flink.job.TaskManagerClasspath;
import io.sidstream.ingest.gateway.GatewayConfig;
import io.sidstream.ingest.gateway.IngestGateway;
import io.sidstream.ingest.publish.EventPublisher;
import io.sidstream.ingest.publish.PublishConfig;
import io.sidstream.serving.model.ModelHolder;
import io.sidstream.serving.node.ServingNode;
import io.sidstream.serving.node.ServingNodeConfig;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What each container in ops/k8s says against what the code does with it (issue 19): every container's port is
 * where its component listens under the configuration the manifest gives it (the ConfigMap's sidstream.conf, the
 * container's --set flags and environment, over reference.conf's defaults) on every interface; its probes hit paths
 * the component answers, readiness apart from liveness where they differ; pods run restricted; single writers are
 * recreated, replicated pods have disruption budgets; the Kafka user may touch sidstream's topics, groups and
 * transactional ids only; images are the ones this version's build makes; the Flink jobs run with Kubernetes HA and
 * leave job settings to their FlinkDeployment.
 */
class ComponentManifestsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String VERSION = System.getProperty("sidstream.version");

    /** Where each launcher command listens, and the probe paths it answers. */
    private record Component(String portKey, String hostKey, String readiness, String liveness) {}

    private static final Map<String, Component> COMPONENTS = Map.of(
            "serve", new Component("serving.port", "serving.host", "/healthz", "/livez"),
            "gateway", new Component("ingest.gateway.port", "ingest.gateway.host", "/healthz", "/livez"),
            // trainer and publisher serve nothing but their metrics
            "train", new Component("metrics.port", "metrics.host", "/metrics", "/metrics"),
            "publish", new Component("metrics.port", "metrics.host", "/metrics", "/metrics"));

    @Test
    void everyContainerListensWhereItsConfigurationSaysOnEveryInterface() {
        List<JsonNode> deployments = Manifests.ofKind("Deployment");
        assertThat(deployments).hasSize(COMPONENTS.size());
        for (JsonNode deployment : deployments) {
            JsonNode container = container(deployment);
            String command = container.at("/args/0").asText();
            Component component = COMPONENTS.get(command);
            assertThat(component).as("a known command in %s", name(deployment)).isNotNull();
            SidstreamConfig config = effective(container, Map.of());
            int port = config.raw().getInt(component.portKey());
            assertThat(containerPort(container, "http"))
                    .as("%s's http port", name(deployment))
                    .isEqualTo(port);
            assertThat(config.raw().getString(component.hostKey()))
                    .as("%s's %s", name(deployment), component.hostKey())
                    .isEqualTo("0.0.0.0");
            // the Services send traffic (and the ServiceMonitor's scrapes) to that port, by name
            List<JsonNode> services = Manifests.ofKind("Service").stream()
                    .filter(s -> s.at("/spec/selector/app.kubernetes.io~1name")
                            .asText()
                            .equals(name(deployment)))
                    .toList();
            assertThat(services)
                    .as("a Service for %s", name(deployment))
                    .isNotEmpty()
                    .allSatisfy(service -> {
                        assertThat(service.at("/spec/ports/0/targetPort").asText())
                                .isEqualTo("http");
                        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(port);
                    });
        }
    }

    @Test
    void probesHitPathsTheComponentsAnswerAndServingIsAliveBeforeItIsReady() throws Exception {
        for (JsonNode deployment : Manifests.ofKind("Deployment")) {
            JsonNode container = container(deployment);
            String command = container.at("/args/0").asText();
            Component component = COMPONENTS.get(command);
            assertThat(container.at("/readinessProbe/httpGet/path").asText())
                    .as("%s readiness", name(deployment))
                    .isEqualTo(component.readiness());
            assertThat(container.at("/livenessProbe/httpGet/path").asText())
                    .as("%s liveness", name(deployment))
                    .isEqualTo(component.liveness());
            assertThat(container.at("/readinessProbe/httpGet/port").asText()).isEqualTo("http");
            assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");

            // the component itself, with the manifest's configuration but on a free loopback port and no reachable
            // Kafka:
            // a fresh process without a model or a broker must be alive, or Kubernetes restarts it in a loop
            try (Running running = start(command, container)) {
                assertThat(get(running.port(), component.liveness()))
                        .as("%s liveness on a fresh process", name(deployment))
                        .isEqualTo(200);
                int ready = get(running.port(), component.readiness());
                if (command.equals("serve")) {
                    assertThat(ready)
                            .as("serving is not ready before a model is loaded")
                            .isEqualTo(503);
                } else {
                    assertThat(ready).as("%s readiness", name(deployment)).isEqualTo(200);
                }
            }
        }
    }

    @Test
    void podsRunAsNonRootWithoutPrivilegesOnReadOnlyRoots() {
        for (JsonNode deployment : Manifests.ofKind("Deployment")) {
            JsonNode pod = deployment.at("/spec/template/spec");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean())
                    .as("%s runAsNonRoot", name(deployment))
                    .isTrue();
            assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
            for (JsonNode container : pod.get("containers")) {
                JsonNode security = container.get("securityContext");
                assertThat(security.at("/allowPrivilegeEscalation").asBoolean(true))
                        .as("%s escalation", name(deployment))
                        .isFalse();
                assertThat(security.at("/readOnlyRootFilesystem").asBoolean())
                        .as("%s read-only root", name(deployment))
                        .isTrue();
                assertThat(security.at("/capabilities/drop").toString()).contains("ALL");
                // the read-only root leaves /tmp (temporary files, DJL's natives) to an emptyDir
                List<String> mounts = new ArrayList<>();
                container
                        .get("volumeMounts")
                        .forEach(m -> mounts.add(m.get("mountPath").asText()));
                assertThat(mounts).as("%s mounts", name(deployment)).contains("/tmp");
            }
        }
        for (JsonNode flink : Manifests.ofKind("FlinkDeployment")) {
            JsonNode pod = flink.at("/spec/podTemplate/spec");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
            assertThat(pod.at("/containers/0/securityContext/allowPrivilegeEscalation")
                            .asBoolean(true))
                    .isFalse();
            assertThat(pod.at("/containers/0/securityContext/capabilities/drop").toString())
                    .contains("ALL");
        }
    }

    @Test
    void theTrainerIsRecreatedAndReplicatedPodsHaveDisruptionBudgets() {
        assertThat(Manifests.named("Deployment", "trainer")
                        .at("/spec/strategy/type")
                        .asText())
                .isEqualTo("Recreate");
        List<JsonNode> budgets = Manifests.ofKind("PodDisruptionBudget");
        for (JsonNode deployment : Manifests.ofKind("Deployment")) {
            if (deployment.at("/spec/replicas").asInt() > 1) {
                JsonNode labels = deployment.at("/spec/template/metadata/labels");
                assertThat(budgets)
                        .as("a PodDisruptionBudget for %s", name(deployment))
                        .anySatisfy(budget -> budget.at("/spec/selector/matchLabels")
                                .fields()
                                .forEachRemaining(label -> assertThat(
                                                labels.path(label.getKey()).asText())
                                        .isEqualTo(label.getValue().asText())));
            }
        }
        for (JsonNode flink : Manifests.ofKind("FlinkDeployment")) {
            assertThat(budgets)
                    .as("a budget for %s's TaskManagers", name(flink))
                    .anySatisfy(budget -> {
                        assertThat(budget.at("/spec/selector/matchLabels/app").asText())
                                .isEqualTo(name(flink));
                        assertThat(budget.at("/spec/selector/matchLabels/component")
                                        .asText())
                                .isEqualTo("taskmanager");
                    });
        }
    }

    @Test
    void theKafkaUserMayUseSidstreamsTopicsGroupsAndTransactionalIdsOnly() {
        JsonNode acls = Manifests.named("KafkaUser", "sidstream").at("/spec/authorization/acls");
        TreeSet<String> topics = new TreeSet<>();
        List<String> groupPrefixes = new ArrayList<>();
        List<String> transactionalIds = new ArrayList<>();
        for (JsonNode acl : acls) {
            JsonNode resource = acl.get("resource");
            String name = resource.get("name").asText();
            assertThat(name).as("an ACL resource name").isNotBlank().doesNotContain("*");
            switch (resource.get("type").asText()) {
                case "topic" -> {
                    assertThat(resource.get("patternType").asText()).isEqualTo("literal");
                    topics.add(name);
                }
                case "group" -> groupPrefixes.add(name);
                case "transactionalId" -> transactionalIds.add(name);
                default -> throw new AssertionError("an ACL on " + resource);
            }
        }
        TreeSet<String> catalog = new TreeSet<>();
        for (Topic topic : Topic.values()) {
            catalog.add(topic.topicName());
            catalog.add(topic.deadLetterTopic());
        }
        assertThat(topics).isEqualTo(catalog);

        SidstreamConfig defaults = ConfigLoader.defaults();
        List<String> groups = List.of(
                defaults.raw().getString("sid.group-id"),
                defaults.raw().getString("sid.group-id") + "-codebooks",
                defaults.raw().getString("windows.group-id"),
                defaults.raw().getString("windows.group-id") + "-catalog",
                defaults.raw().getString("trainer.cycle.group-id"),
                defaults.raw().getString("trainer.control.group-id"),
                "serving-checkpoints-" + defaults.raw().getString("serving.node-id"),
                "serving-trie-" + defaults.raw().getString("serving.node-id"),
                defaults.raw().getString("publisher.trie.transactional-id") + "-" + Topic.SID_ASSIGNMENTS.topicName(),
                "trie-locator-1",
                "sidstream-scan-1");
        assertThat(groups)
                .allSatisfy(group -> assertThat(groupPrefixes)
                        .as("a group ACL for %s", group)
                        .anySatisfy(prefix -> assertThat(group).startsWith(prefix)));
        // Flink's Kafka sinks name their transactions <prefix>-<subtask>-<checkpoint>
        List<String> transactions = List.of(
                defaults.raw().getString("sid.transactional-id-prefix") + "-sids-0-1",
                defaults.raw().getString("windows.transactional-id-prefix") + "-examples-0-1",
                defaults.raw().getString("publisher.trie.transactional-id"));
        assertThat(transactions)
                .allSatisfy(id -> assertThat(transactionalIds)
                        .as("a transactional-id ACL for %s", id)
                        .anySatisfy(prefix -> assertThat(id).startsWith(prefix)));
    }

    @Test
    void everyImageIsOneThisVersionsBuildMakes() throws Exception {
        assertThat(VERSION).as("the build's version (surefire passes it)").isNotBlank();
        String launcher = imageTheBuildMakes("launcher");
        String flinkJobs = imageTheBuildMakes("flink-jobs");
        assertThat(launcher).isEqualTo("ghcr.io/sidstream/sidstream:" + VERSION);
        assertThat(flinkJobs).isEqualTo("ghcr.io/sidstream/flink-jobs:" + VERSION);
        for (JsonNode deployment : Manifests.ofKind("Deployment")) {
            assertThat(container(deployment).get("image").asText()).isEqualTo(launcher);
        }
        for (JsonNode flink : Manifests.ofKind("FlinkDeployment")) {
            assertThat(flink.at("/spec/image").asText()).isEqualTo(flinkJobs);
            assertThat(flink.at("/spec/job/jarURI").asText())
                    .isEqualTo("local:///opt/flink/jobs/sidstream-" + name(flink) + "-job.jar");
        }
    }

    @Test
    void flinkJobsRunHighlyAvailableWithTheClustersSettingsAndTheNativeLibrariesParentFirst() {
        String[] build = System.getProperty("flink.version").split("\\.");
        // the newest value the Flink Kubernetes Operator's FlinkVersion enum has (operator 1.13): v2_1
        int operatorMinor = 1;
        String expected = "v" + build[0] + "_" + Math.min(Integer.parseInt(build[1]), operatorMinor);
        for (JsonNode flink : Manifests.ofKind("FlinkDeployment")) {
            JsonNode settings = flink.at("/spec/flinkConfiguration");
            assertThat(flink.at("/spec/flinkVersion").asText())
                    .as("%s flinkVersion", name(flink))
                    .isEqualTo(expected);
            assertThat(settings.path("high-availability.type").asText()).isEqualTo("kubernetes");
            assertThat(settings.path("high-availability.storageDir").asText()).startsWith("s3://");
            assertThat(settings.path("restart-strategy.type").asText()).isEqualTo("exponential-delay");
            assertThat(settings.path("state.backend.type").asText()).isIn("hashmap", "rocksdb");
            assertThat(settings.path("classloader.parent-first-patterns.additional")
                            .asText())
                    .isEqualTo(TaskManagerClasspath.PARENT_FIRST_PATTERNS);
            assertThat(flink.at("/spec/job/parallelism").asInt()).isPositive();
        }
        // what the FlinkDeployments decide, sidstream's shared configuration leaves unset
        SidstreamConfig shared = ConfigLoader.load(Optional.of(Manifests.configFile()), Map.of(), Map.of());
        for (String key : List.of(
                "flink.parallelism",
                "flink.restart-attempts",
                "flink.checkpoint-dir",
                "sid.state-backend",
                "windows.state-backend")) {
            assertThat(shared.raw().hasPath(key)).as("%s in the ConfigMap", key).isFalse();
        }
    }

    /**
     * The ConfigMap is read by the job jars too, which carry only their own modules' reference.conf: a key they do
     * not know stops the job at submission (the cluster test found serving.host and ingest.gateway.host there).
     */
    @Test
    void theSharedConfigurationHoldsOnlyKeysTheJobJarsKnow() throws Exception {
        Config shared = ConfigFactory.parseFile(Manifests.configFile().toFile());
        for (JsonNode flink : Manifests.ofKind("FlinkDeployment")) {
            Path jar = Path.of(
                    "..",
                    "tokenizer-stream",
                    name(flink),
                    "target",
                    "sidstream-" + name(flink) + "-" + VERSION + "-job.jar");
            assertThat(jar).as("%s's job jar (built before ops)", name(flink)).isRegularFile();
            try (URLClassLoader job =
                    new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
                Config reference = ConfigFactory.parseResources(job, "reference.conf");
                List<String> unknown = shared.entrySet().stream()
                        .map(Map.Entry::getKey)
                        .filter(key ->
                                ConfigLoader.PASS_THROUGH.stream().noneMatch(section -> key.startsWith(section + ".")))
                        .filter(key -> !reference.hasPathOrNull(key))
                        .toList();
                assertThat(unknown)
                        .as("ConfigMap keys %s's job jar does not know", name(flink))
                        .isEmpty();
            }
        }
    }

    /** The image Jib tags in images/{@code module}/pom.xml (the images profile), its properties resolved. */
    private static String imageTheBuildMakes(String module) throws Exception {
        javax.xml.parsers.DocumentBuilder xml =
                javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder();
        org.w3c.dom.Document root = xml.parse(Path.of("..", "pom.xml").toFile());
        String registry = root.getElementsByTagName("sidstream.image.registry")
                .item(0)
                .getTextContent()
                .trim();
        org.w3c.dom.Document pom =
                xml.parse(Path.of("..", "images", module, "pom.xml").toFile());
        org.w3c.dom.Element to =
                (org.w3c.dom.Element) pom.getElementsByTagName("to").item(0);
        return to.getElementsByTagName("image")
                .item(0)
                .getTextContent()
                .trim()
                .replace("${sidstream.image.registry}", registry)
                .replace("${project.version}", VERSION);
    }

    private static String name(JsonNode resource) {
        return resource.at("/metadata/name").asText();
    }

    private static JsonNode container(JsonNode deployment) {
        return deployment.at("/spec/template/spec/containers/0");
    }

    private static int containerPort(JsonNode container, String name) {
        for (JsonNode port : container.get("ports")) {
            if (port.get("name").asText().equals(name)) {
                return port.get("containerPort").asInt();
            }
        }
        throw new AssertionError("no port named " + name + " in " + container.get("name"));
    }

    /**
     * The configuration the container's process loads: the ConfigMap's file for {@code --config}, the container's
     * {@code --set} flags, its environment (secrets as placeholders), then {@code overrides}.
     */
    private static SidstreamConfig effective(JsonNode container, Map<String, String> overrides) {
        List<String> args = new ArrayList<>();
        container.get("args").forEach(a -> args.add(a.asText()));
        Map<String, String> flags = new LinkedHashMap<>();
        Optional<Path> file = Optional.empty();
        for (int i = 1; i < args.size(); i += 2) {
            switch (args.get(i)) {
                case "--config" -> {
                    assertThat(args.get(i + 1)).isEqualTo(Manifests.CONFIG_PATH);
                    file = Optional.of(Manifests.configFile());
                }
                case "--set" -> {
                    String[] kv = args.get(i + 1).split("=", 2);
                    flags.put(kv[0], kv[1]);
                }
                default -> throw new AssertionError("an option the test does not know: " + args.get(i));
            }
        }
        Map<String, String> env = new HashMap<>();
        container
                .path("env")
                .forEach(e -> env.put(
                        e.get("name").asText(),
                        e.get("name").asText().endsWith("AUTH__TOKENS")
                                ? "token-from-a-secret-1,token-from-a-secret-2"
                                : "secret-from-" + e.get("name").asText()));
        flags.putAll(overrides);
        return ConfigLoader.load(file, env, flags);
    }

    private interface Running extends AutoCloseable {
        int port();

        @Override
        void close() throws Exception;
    }

    /** The command's HTTP side in this JVM, on a free loopback port, its Kafka clients pointed nowhere. */
    private static Running start(String command, JsonNode container) throws Exception {
        Map<String, String> local = new HashMap<>(Map.of(
                "kafka.bootstrap.servers",
                "127.0.0.1:1",
                "kafka.security.protocol",
                "PLAINTEXT",
                "metrics.host",
                "127.0.0.1",
                "metrics.port",
                "0"));
        switch (command) {
            case "serve" -> {
                local.putAll(Map.of("serving.host", "127.0.0.1", "serving.port", "0"));
                ModelHolder noModel = new ModelHolder(
                        announcement -> {
                            throw new IllegalStateException("no checkpoint in this test");
                        },
                        Clock.systemUTC());
                ServingNode node =
                        new ServingNode(ServingNodeConfig.from(effective(container, local)), noModel).start();
                return new Running() {
                    public int port() {
                        return node.port();
                    }

                    public void close() {
                        node.close();
                    }
                };
            }
            case "gateway" -> {
                local.putAll(Map.of("ingest.gateway.host", "127.0.0.1", "ingest.gateway.port", "0"));
                SidstreamConfig config = effective(container, local);
                EventPublisher publisher = new EventPublisher(
                        config.kafka(),
                        config.registry(),
                        PublishConfig.from(config.section("ingest")),
                        "manifest-test");
                IngestGateway gateway =
                        new IngestGateway(GatewayConfig.from(config.section("ingest")), publisher).start();
                return new Running() {
                    public int port() {
                        return gateway.port();
                    }

                    public void close() {
                        gateway.close();
                        publisher.close();
                    }
                };
            }
            default -> {
                HTTPServer metrics = MetricsEndpoint.start(effective(container, local));
                return new Running() {
                    public int port() {
                        return metrics.getPort();
                    }

                    public void close() {
                        metrics.close();
                    }
                };
            }
        }
    }

    private static int get(int port, String path) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
