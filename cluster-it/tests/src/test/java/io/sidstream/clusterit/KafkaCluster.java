package io.sidstream.clusterit;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/** Three KRaft nodes (broker and controller each), each in a JVM of its own ({@link KafkaNodeMain}). */
final class KafkaCluster implements AutoCloseable {

    static final int NODES = 3;

    private final Path dir;
    private final List<Integer> ports;
    private final List<Integer> controllerPorts;
    private final String clusterId = Uuid.randomUuid().toString();
    private final JvmProcess[] nodes = new JvmProcess[NODES];

    private KafkaCluster(Path dir) {
        this.dir = dir;
        this.ports = IntStream.range(0, NODES).mapToObj(i -> Ports.free()).toList();
        this.controllerPorts =
                IntStream.range(0, NODES).mapToObj(i -> Ports.free()).toList();
    }

    /** Starts every node (they wait for each other's quorum) and returns at once; see {@link #awaitUp}. */
    static KafkaCluster start(Path dir) {
        KafkaCluster cluster = new KafkaCluster(dir);
        for (int i = 0; i < NODES; i++) {
            cluster.startNode(i);
        }
        return cluster;
    }

    private void startNode(int i) {
        String voters = IntStream.range(0, NODES)
                .mapToObj(n -> (n + 1) + "@127.0.0.1:" + controllerPorts.get(n))
                .collect(Collectors.joining(","));
        nodes[i] = JvmProcess.start(
                "kafka-" + (i + 1),
                dir,
                List.of("-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                KafkaNodeMain.class.getName(),
                List.of(
                        String.valueOf(i + 1),
                        String.valueOf(ports.get(i)),
                        String.valueOf(controllerPorts.get(i)),
                        clusterId,
                        voters,
                        dir.resolve("kafka-" + (i + 1)).toString()),
                Map.of());
    }

    /** Waits until all three brokers are registered with the cluster. */
    void awaitUp(Duration atMost) {
        await("three brokers registered")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> {
                    for (JvmProcess node : nodes) {
                        if (!node.isAlive()) {
                            throw new AssertionError(node.name() + " exited: " + node.tail());
                        }
                    }
                    try (Admin admin = admin()) {
                        return admin.describeCluster().nodes().get().size() == NODES;
                    }
                });
    }

    String bootstrapServers() {
        return ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        return Admin.create(props);
    }

    /** kill -9 node {@code i} (0-based). */
    void kill9(int i) {
        nodes[i].kill9();
    }

    /** Starts node {@code i} again on its data directory, as a restarted pod would. */
    void restart(int i) {
        startNode(i);
    }

    List<JvmProcess> processes() {
        return new ArrayList<>(List.of(nodes));
    }

    @Override
    public void close() {
        for (JvmProcess node : nodes) {
            if (node != null) {
                node.close();
            }
        }
    }
}
