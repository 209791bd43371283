package io.sidstream.clusterit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sidstream.core.config.ConfigLoader;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.core.topic.TopicScan;
import io.sidstream.flink.job.TaskManagerClasspath;
import io.sidstream.ops.Manifests;
import io.sidstream.platform.check.DeliveryCheck;
import io.sidstream.registryit.ApicurioRegistryServer;
import io.sidstream.schemas.CheckpointPublished;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.tokenizer.window.WindowsConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.ZipFile;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production path of issue 19 on one machine, without Docker: a standalone Flink 2.2.1 session cluster (a
 * JobManager and TaskManagers, each its own JVM, on a plain distribution's classpath from Maven Central plus
 * tokenizer-stream/flink-lib), three KRaft brokers in their own JVMs (replication 3, min.insync.replicas 2), the
 * Apicurio registry, and sidstream's components as the launcher image runs them, each a process with the
 * configuration ops/k8s gives it. Both job jars go in through Flink's CLI with the FlinkDeployments' entry classes and
 * arguments. The synthetic world runs through it; then a TaskManager is killed and stays away longer than the old
 * fixed-delay restarts lasted, a broker is killed, and sid-assign is stopped with a savepoint and redeployed at
 * parallelism 2 on the same TaskManagers. Each of the five failures has its own assertion, then exactly once
 * end to end, the serving node on the newest checkpoint, and no class loader or thread of a cancelled job left in a
 * TaskManager.
 */
class ProductionPathTest {

    private static final Logger LOG = LoggerFactory.getLogger(ProductionPathTest.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path ROOT = Path.of(System.getProperty("sidstream.root", "../.."))
            .toAbsolutePath()
            .normalize();
    private static final String VERSION = System.getProperty("sidstream.version");
    private static final String TOKEN = "cluster-test-gateway-token-1";
    /** The synthetic world's shape for this run (both the world and its codebook are built from it). */
    private static final Map<String, String> WORLD = Map.of(
            "ingest.simulate.initial-videos",
            "600",
            "ingest.simulate.users",
            "800",
            "ingest.simulate.creators",
            "150",
            "ingest.simulate.uploads-per-s",
            "2",
            "ingest.simulate.engagements-per-s",
            "40");
    /** Longer than sequence-windows' old restart budget (10 attempts, 2 s apart), which ended the job in 20 s. */
    private static final Duration WITHOUT_A_SLOT = Duration.ofSeconds(35);

    private final List<AutoCloseable> running = new ArrayList<>();

    @Test
    void theProductionPathRunsExactlyOnceThroughATaskManagerABrokerAndARedeploy() throws Exception {
        long started = System.nanoTime();
        // every process's log stays here after the run (a CI artifact); a new run starts empty
        Path dir = Path.of("target", "cluster-run").toAbsolutePath();
        deleteRecursively(dir);
        Manifests manifests = Manifests.in(ROOT.resolve("ops/k8s"));
        JsonNode sidAssignDeployment = manifests.get("FlinkDeployment", "sid-assign");
        JsonNode windowsDeployment = manifests.get("FlinkDeployment", "sequence-windows");
        try {
            // ---- the cluster: brokers and the Flink cluster start in the background while the registry comes up
            KafkaCluster kafka = closeLater(KafkaCluster.start(dir.resolve("kafka")));
            String flinkClasspath = ROOT.resolve("cluster-it/flink-dist/target/lib") + "/*:"
                    + ROOT.resolve("tokenizer-stream/flink-lib/target/lib") + "/*";
            FlinkCluster flink = closeLater(FlinkCluster.start(
                    dir.resolve("flink"),
                    flinkClasspath,
                    flinkSettings(sidAssignDeployment, dir),
                    javaOpts(sidAssignDeployment)));
            String registryPassword = "cluster-it-" + Long.toHexString(System.nanoTime());
            ApicurioRegistryServer registry = closeLater(ApicurioRegistryServer.start(
                    ROOT.resolve("registry-it/apicurio-server/target/quarkus-app/quarkus-run.jar"),
                    dir.resolve("apicurio.log"),
                    registryPassword));
            // one slot each: each TaskManager runs one job, so the one that loses its TaskManager has no slot to go to
            flink.startTaskManager("tm-1", 1);
            flink.startTaskManager("tm-2", 1);
            kafka.awaitUp(Duration.ofMinutes(3));
            flink.awaitTaskManagers(2, Duration.ofMinutes(3));
            LOG.info("cluster up after {} s", seconds(started));

            // ---- sidstream's configuration: the ConfigMap's sidstream.conf with this machine's addresses
            Path configFile = dir.resolve("sidstream.conf");
            Files.writeString(
                    configFile, manifests.sidstreamConf() + """

                    # this machine: the three brokers in plain text (SCRAM over TLS needs Strimzi's CA), the test's registry
                    kafka { bootstrap.servers = "%s", security.protocol = "PLAINTEXT" }
                    registry.url = "%s"
                    """.formatted(kafka.bootstrapServers(), registry.url()));
            String userInfo = ApicurioRegistryServer.USER + ":" + registryPassword;
            SidstreamConfig reader = ConfigLoader.load(
                    Optional.of(configFile),
                    Map.of("SIDSTREAM_REGISTRY_CLIENT_BASIC_AUTH_USER_INFO", userInfo),
                    Map.of());
            Path checkpoints = dir.resolve("checkpoints");
            Launcher launcher = new Launcher(
                    dir.resolve("components"),
                    ROOT,
                    manifests,
                    Map.of(
                            Manifests.CONFIG_PATH,
                            configFile.toString(),
                            "/var/lib/sidstream/checkpoints",
                            checkpoints.toString()),
                    Map.of(
                            "sidstream/sasl.jaas.config",
                            "unused: the test's brokers speak plain text",
                            "schema-registry-credentials/user-info",
                            userInfo,
                            "ingest-gateway-tokens/tokens",
                            TOKEN),
                    Map.of("DJL_CACHE_DIR", dir.resolve("djl").toString(), "OMP_NUM_THREADS", "1"));

            // ---- topics (replication 3, min.insync.replicas 2) and schemas, as CI would release them
            launcher.command("topics", "256m", List.of("topics", "--register-schemas"), Map.of())
                    .awaitSuccess(Duration.ofMinutes(2));
            try (Admin admin = kafka.admin()) {
                assertThat(admin.describeTopics(List.of(Topic.ENGAGEMENTS.topicName()))
                                .allTopicNames()
                                .get()
                                .get(Topic.ENGAGEMENTS.topicName())
                                .partitions()
                                .get(0)
                                .replicas())
                        .hasSize(3);
            }
            // ---- codebooks: the world's embedding space and the text encoder's, the world's published last
            JvmProcess worldCodebook = launcher.command(
                    "codebook-train-world",
                    "768m",
                    List.of("codebook", "train", "--world", "600", "--version", "world-cb"),
                    WORLD);
            JvmProcess textCodebook = launcher.command(
                    "codebook-train-text",
                    "768m",
                    List.of(
                            "codebook",
                            "train",
                            "--synthetic",
                            "600",
                            "--model",
                            reader.section("sid").getString("embedding-model"),
                            "--version",
                            "text-cb"),
                    Map.of());
            worldCodebook.awaitSuccess(Duration.ofMinutes(3));
            textCodebook.awaitSuccess(Duration.ofMinutes(3));
            for (String version : List.of("text-cb", "world-cb")) {
                launcher.command(
                                "codebook-publish-" + version,
                                "384m",
                                List.of("codebook", "publish", "--version", version),
                                Map.of())
                        .awaitSuccess(Duration.ofMinutes(2));
            }
            LOG.info("topics and codebooks after {} s", seconds(started));

            // ---- both jobs through Flink's CLI, as the FlinkDeployments name them
            Path sidJar =
                    ROOT.resolve("tokenizer-stream/sid-assign/target/sidstream-sid-assign-" + VERSION + "-job.jar");
            Path windowsJar = ROOT.resolve(
                    "tokenizer-stream/sequence-windows/target/sidstream-sequence-windows-" + VERSION + "-job.jar");
            assertJobJarHoldsNoTaskManagerLibraryAndNoPyTorch(sidJar); // failure 4
            String windows = flink.run(
                    windowsJar,
                    windowsDeployment.at("/spec/job/entryClass").asText(),
                    1,
                    null,
                    jobArgs(windowsDeployment, launcher),
                    launcher.flinkEnvironment("sequence-windows"));
            String sidAssign = flink.run(
                    sidJar,
                    sidAssignDeployment.at("/spec/job/entryClass").asText(),
                    1,
                    null,
                    jobArgs(sidAssignDeployment, launcher),
                    launcher.flinkEnvironment("sid-assign"));
            flink.awaitRunning(windows, Duration.ofMinutes(3));
            flink.awaitRunning(sidAssign, Duration.ofMinutes(3));
            Set<String> sidAssignTaskManagers = flink.taskManagersOf(sidAssign);
            LOG.info(
                    "jobs running after {} s: sid-assign on {}, sequence-windows on {}",
                    seconds(started),
                    sidAssignTaskManagers,
                    flink.taskManagersOf(windows));

            // the cluster's settings, not the job's: parallelism from -p, storage, state backend (failure 3)
            assertJobRunsWithTheClustersSettings(flink, windows, 1, dir);
            assertJobRunsWithTheClustersSettings(flink, sidAssign, 1, dir);

            // ---- the components, each as its Deployment runs it; ports of this machine
            int gatewayPort = Ports.free();
            int servingPort = Ports.free();
            closeLater(
                    launcher.deployment("gateway", "384m", Map.of("ingest.gateway.port", String.valueOf(gatewayPort))));
            closeLater(launcher.deployment("publisher", "384m", Map.of("metrics.port", String.valueOf(Ports.free()))));
            closeLater(launcher.deployment(
                    "serving",
                    "768m",
                    Map.of("serving.port", String.valueOf(servingPort), "metrics.port", String.valueOf(Ports.free()))));
            // a training cycle within the test, not every 4 hours: short, data-triggered cycles that always publish
            JvmProcess trainer = closeLater(launcher.deployment(
                    "trainer",
                    "1g",
                    Map.of(
                            "metrics.port",
                            String.valueOf(Ports.free()),
                            "trainer.device",
                            "cpu",
                            "trainer.cycle.interval",
                            "20s",
                            "trainer.cycle.min-new-examples",
                            "300",
                            "trainer.cycle.check-interval",
                            "2s",
                            "trainer.cycle.max-time",
                            "5s",
                            "trainer.cycle.gate-tolerance",
                            "1.0",
                            "trainer.offline-table.videos",
                            "20")));
            JvmProcess world = closeLater(launcher.command("simulate", "384m", List.of("simulate"), WORLD));
            Gateway gateway = new Gateway(gatewayPort, TOKEN);
            gateway.awaitUp(Duration.ofMinutes(2));

            // data flows: the world's catalogue has SIDs, engagements become examples
            await("SIDs for the world's catalogue")
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofSeconds(3))
                    .until(() -> sids(reader).size() >= 600);
            List<String> textUploads = new ArrayList<>(gateway.uploadTexts("before", 30));
            await("text uploads through the gateway have SIDs")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> sids(reader).keySet().containsAll(textUploads));
            LOG.info("data flowing after {} s", seconds(started));

            // ---- failure 2: a TaskManager dies and no slot is free for its job for longer than the old restarts
            // lasted
            String windowsTm = flink.taskManagersOf(windows).iterator().next();
            flink.taskManagers().get(windowsTm).kill9();
            long down = System.nanoTime();
            // a state that must hold all along, sampled every second
            await("sequence-windows never fails while it has no slot")
                    .during(WITHOUT_A_SLOT)
                    .atMost(WITHOUT_A_SLOT.plusSeconds(30))
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(flink.state(windows))
                            .as("sequence-windows without a slot, %s s after its TaskManager died", seconds(down))
                            .isNotIn("FAILED", "CANCELED", "FINISHED"));
            // the replacement (a pod restarted by Kubernetes) comes back with room for the redeploy's second subtask
            flink.startTaskManager("tm-3", 2);
            flink.awaitRunning(windows, Duration.ofMinutes(3));
            LOG.info("sequence-windows back after its TaskManager was away {} s", seconds(down));

            // ---- a broker dies mid-stream; the gateway keeps accepting (acks=all, 2 of 3 in sync), the jobs go on
            kafka.kill9(1);
            textUploads.addAll(gateway.uploadTexts("broker-down", 20));
            List<String> gatewayEngagements =
                    new ArrayList<>(gateway.engagements("broker-down", 50, firstVideos(reader, 10)));
            kafka.restart(1);
            kafka.awaitUp(Duration.ofMinutes(3));

            // ---- failure 1: stop sid-assign with a savepoint, redeploy it at parallelism 2 on the same TaskManagers
            String savepoint = flink.stopWithSavepoint(sidAssign, dir.resolve("savepoints"));
            String redeployed = flink.run(
                    sidJar,
                    sidAssignDeployment.at("/spec/job/entryClass").asText(),
                    2,
                    savepoint,
                    jobArgs(sidAssignDeployment, launcher),
                    launcher.flinkEnvironment("sid-assign"));
            flink.awaitRunning(redeployed, Duration.ofMinutes(3));
            Set<String> redeployedOn = flink.taskManagersOf(redeployed);
            assertThat(redeployedOn)
                    .as("the redeploy runs on a TaskManager that ran sid-assign before")
                    .containsAnyElementsOf(sidAssignTaskManagers);
            assertJobRunsWithTheClustersSettings(flink, redeployed, 2, dir);
            // its text encoder (ONNX Runtime, the tokenizers) works in the new deployment: text uploads get SIDs
            List<String> afterRedeploy = gateway.uploadTexts("after-redeploy", 30);
            textUploads.addAll(afterRedeploy);
            await("text uploads after the redeploy have SIDs")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(2))
                    .until(() -> sids(reader).keySet().containsAll(afterRedeploy));
            for (String tm : redeployedOn) {
                assertThat(flink.taskManagers().get(tm).log())
                        .as("%s's log", tm)
                        .doesNotContain("already loaded in another classloader")
                        .doesNotContain("UnsatisfiedLinkError");
            }
            LOG.info("sid-assign redeployed at parallelism 2 on {} after {} s", redeployedOn, seconds(started));

            // ---- failure 4 on the TaskManagers: none extracted libtorch (the job embeds with ONNX Runtime)
            for (String tm : flink.taskManagers().keySet()) {
                Path djl = flink.djlCache(tm);
                if (Files.isDirectory(djl)) {
                    try (var entries = Files.walk(djl)) {
                        assertThat(entries.map(Path::toString)
                                        .filter(p -> p.contains("pytorch"))
                                        .toList())
                                .as("PyTorch files in %s's DJL cache", tm)
                                .isEmpty();
                    }
                }
            }

            // ---- the serving node answers with the newest checkpoint the trainer published
            await("the trainer publishes a checkpoint")
                    .atMost(Duration.ofMinutes(4))
                    .pollInterval(Duration.ofSeconds(3))
                    .until(() -> newestCheckpoint(reader).isPresent());
            // the world stops, then the trainer: what is published last stays the newest
            world.close();
            trainer.close();
            long newest = newestCheckpoint(reader).orElseThrow();
            String health = "http://127.0.0.1:" + servingPort + "/healthz";
            await("serving loads checkpoint " + newest)
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions()
                    .until(() -> JSON.readTree(get(health)).path("modelVersion").asLong() == newest);
            JsonNode answer = JSON.readTree(post(
                    "http://127.0.0.1:" + servingPort + "/v1/recommend",
                    "{\"history\": " + JSON.writeValueAsString(firstVideos(reader, 5)) + ", \"k\": 5}"));
            assertThat(answer.get("modelVersion").asLong()).isEqualTo(newest);
            assertThat(answer.get("items")).isNotEmpty();

            // ---- failure 5 and exactly once end to end, once everything in flight has settled: every accepted upload
            // has exactly one SID (or a dead letter), every positive engagement exactly one example (or a dead letter)
            WindowsConfig windowsConfig = WindowsConfig.from(reader);
            // an engagement whose video has no SID yet waits for the job's own timeout before it is dead-lettered
            await("every positive engagement settled as an example or a dead letter")
                    .atMost(windowsConfig.unresolvedTimeout().plusMinutes(2))
                    .pollInterval(Duration.ofSeconds(5))
                    .until(() -> EngagementOutcomes.read(reader, windowsConfig.positiveRule())
                            .lost()
                            .isEmpty());
            DeliveryCheck.Report delivery = DeliveryCheck.run(reader, Duration.ZERO, Clock.systemUTC());
            LOG.info("delivery check:\n{}", delivery);
            assertThat(delivery.missing())
                    .as("uploads without a SID or a dead letter")
                    .isEmpty();
            assertThat(delivery.waitingForCodebook()).isZero();
            assertThat(delivery.sidsTwice()).as("videos with two SIDs").isEmpty();
            assertThat(delivery.examplesTwice()).as("examples written twice").isEmpty();
            assertThat(sids(reader).keySet()).as("gateway uploads with a SID").containsAll(textUploads);
            EngagementOutcomes engagements = EngagementOutcomes.read(reader, windowsConfig.positiveRule());
            LOG.info("engagements: {}", engagements);
            assertThat(engagements.positive()).isGreaterThan(100);
            assertThat(engagements.lost())
                    .as("positive engagements with neither an example nor a dead letter")
                    .isEmpty();
            assertThat(engagements.examplesTwice())
                    .as("engagements with two examples")
                    .isEmpty();
            assertThat(engagements.examplesWithoutPositive())
                    .as("examples of no positive engagement")
                    .isEmpty();
            assertThat(gatewayEngagements)
                    .as("gateway engagements accepted while a broker was down")
                    .hasSize(50);
            boolean fencedWarning = flink.taskManagers().values().stream()
                    .anyMatch(tm -> tm.log().contains("signals data loss"));
            LOG.info(
                    "KafkaCommitter's 'this most likely signals data loss' logged: {} (nothing was lost: checked above)",
                    fencedWarning);

            // ---- cancelled jobs leave no thread behind in a TaskManager, and nothing there holds their class loaders
            flink.cancel(windows);
            flink.cancel(redeployed);
            for (Map.Entry<String, JvmProcess> tm : flink.taskManagers().entrySet()) {
                if (!tm.getValue().isAlive()) {
                    continue;
                }
                long pid = tm.getValue().pid();
                await(tm.getKey() + "'s job threads end")
                        .atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() ->
                                JvmInspection.threadNames(pid).stream().noneMatch(ProductionPathTest::isJobThread));
                Path dump = dir.resolve(tm.getKey() + ".hprof");
                JvmInspection.heapDump(pid, dump);
                assertThat(HeapDumps.threadsHoldingJobClassLoaders(dump))
                        .as("%s's threads holding a job's class loader", tm.getKey())
                        .isEmpty();
                assertThat(HeapDumps.strongPathsToJobClassLoaders(dump))
                        .as("strong paths to a job's class loader in %s", tm.getKey())
                        .isEmpty();
                Files.delete(dump);
            }
            LOG.info("production path test done in {} s", seconds(started));
        } finally {
            for (int i = running.size() - 1; i >= 0; i--) {
                try {
                    running.get(i).close();
                } catch (Exception e) {
                    LOG.warn("closing {}: {}", running.get(i), e.toString());
                }
            }
        }
    }

    private static boolean isJobThread(String name) {
        return name.contains("kafka")
                || name.contains("sid-text-embedder")
                || name.contains("sid-assign")
                || name.contains("sequence-windows")
                || name.contains("Source Data Fetcher");
    }

    /** The session cluster's configuration: sid-assign's FlinkDeployment, its object store and HA made local. */
    static Map<String, String> flinkSettings(JsonNode deployment, Path dir) {
        Map<String, String> settings = new LinkedHashMap<>();
        deployment.at("/spec/flinkConfiguration").fields().forEachRemaining(e -> {
            String key = e.getKey();
            // Kubernetes HA needs a Kubernetes API, the Prometheus reporter its plugin jar; neither is on this machine
            if (!key.startsWith("high-availability")
                    && !key.startsWith("metrics.reporter")
                    && !key.equals("env.java.opts.all")) {
                settings.put(key, e.getValue().asText());
            }
        });
        settings.put(
                "execution.checkpointing.dir",
                dir.resolve("flink-checkpoints").toUri().toString());
        settings.put(
                "execution.checkpointing.savepoint-dir",
                dir.resolve("savepoints").toUri().toString());
        // a small machine: TaskManagers of 1.4 GB without managed memory (the heap backend needs none)
        settings.put("jobmanager.memory.process.size", "900m");
        settings.put("taskmanager.memory.process.size", "1400m");
        settings.put("taskmanager.memory.managed.fraction", "0.02");
        // a killed TaskManager is noticed in seconds, and a job comes back within 5 s of a slot (not 1 min)
        settings.put("heartbeat.interval", "1000");
        settings.put("heartbeat.timeout", "8000");
        settings.put("restart-strategy.exponential-delay.max-backoff", "5 s");
        settings.put("cluster.evenly-spread-out-slots", "true");
        assertThat(settings.get("classloader.parent-first-patterns.additional"))
                .isEqualTo(TaskManagerClasspath.PARENT_FIRST_PATTERNS);
        assertThat(settings.get("state.backend.type")).isEqualTo("hashmap");
        return settings;
    }

    static List<String> javaOpts(JsonNode deployment) {
        return Arrays.asList(deployment
                .at("/spec/flinkConfiguration/env.java.opts.all")
                .asText()
                .split("\\s+"));
    }

    static List<String> jobArgs(JsonNode deployment, Launcher launcher) {
        List<String> args = new ArrayList<>();
        deployment.at("/spec/job/args").forEach(a -> args.add(launcher.local(a.asText())));
        return args;
    }

    /** Failure 4: PyTorch is not in the sid-assign job jar, nor anything the TaskManagers hold in their lib/. */
    private static void assertJobJarHoldsNoTaskManagerLibraryAndNoPyTorch(Path jar) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<String> leaked = zip.stream()
                    .map(e -> e.getName())
                    .filter(n -> n.startsWith("ai/djl/")
                            || n.startsWith("pytorch/")
                            || n.startsWith("ai/onnxruntime/")
                            || n.startsWith("com/sun/jna/")
                            || n.startsWith("com/google/gson/")
                            || n.contains("libtorch"))
                    .limit(10)
                    .toList();
            assertThat(leaked)
                    .as("PyTorch or TaskManager libraries in %s", jar.getFileName())
                    .isEmpty();
            assertThat(zip.getEntry("io/sidstream/tokenizer/job/SidAssignJob.class"))
                    .isNotNull();
        }
        assertThat(Files.size(jar)).as("sid-assign's job jar").isLessThan(160L << 20);
    }

    /** Failure 3: parallelism as submitted, the explicit max parallelism, and the cluster's storage and backend. */
    private static void assertJobRunsWithTheClustersSettings(FlinkCluster flink, String job, int parallelism, Path dir)
            throws Exception {
        JsonNode details = flink.rest("/jobs/" + job);
        for (JsonNode vertex : details.get("vertices")) {
            assertThat(vertex.get("parallelism").asInt())
                    .as("parallelism of %s", vertex.get("name").asText())
                    .isEqualTo(parallelism);
            assertThat(vertex.get("maxParallelism").asInt())
                    .as("max parallelism of %s", vertex.get("name").asText())
                    .isEqualTo(128);
        }
        JsonNode checkpointing = flink.rest("/jobs/" + job + "/checkpoints/config");
        assertThat(checkpointing.get("state_backend").asText()).isEqualTo("HashMapStateBackend");
        Path jobCheckpoints = dir.resolve("flink-checkpoints").resolve(job);
        await(job + " checkpoints in the cluster's directory")
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> Files.isDirectory(jobCheckpoints) && hasCompleted(jobCheckpoints));
    }

    private static boolean hasCompleted(Path jobCheckpoints) throws IOException {
        try (var entries = Files.list(jobCheckpoints)) {
            return entries.anyMatch(
                    p -> p.getFileName().toString().startsWith("chk-") && Files.exists(p.resolve("_metadata")));
        }
    }

    private static Map<String, String> sids(SidstreamConfig config) {
        Map<String, String> sids = new LinkedHashMap<>();
        for (SidAssigned sid : TopicScan.values(config, Topic.SID_ASSIGNMENTS.topicName(), SidAssigned.class)) {
            sids.put(sid.getVideoId(), sid.getCodes().toString());
        }
        return sids;
    }

    private static List<String> firstVideos(SidstreamConfig config, int n) {
        return sids(config).keySet().stream().limit(n).toList();
    }

    private static Optional<Long> newestCheckpoint(SidstreamConfig config) {
        String model = config.section("serving").getString("model-name");
        return TopicScan.values(config, Topic.CHECKPOINTS.topicName(), CheckpointPublished.class).stream()
                .filter(c -> c.getModelName().equals(model))
                .map(CheckpointPublished::getVersion)
                .max(Long::compare);
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static String post(String url, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("POST %s: %s", url, response.body())
                .isEqualTo(200);
        return response.body();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        running.add(resource);
        return resource;
    }

    private static long seconds(long since) {
        return (System.nanoTime() - since) / 1_000_000_000L;
    }
}
