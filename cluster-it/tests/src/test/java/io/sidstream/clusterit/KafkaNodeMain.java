package io.sidstream.clusterit;

import io.sidstream.kafka.embedded.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * One node of the test's three-node KRaft cluster (broker and controller), in a JVM of its own:
 * {@code nodeId port controllerPort clusterId quorumVoters dataDir}. Replication 3 with min.insync.replicas 2 for
 * every topic and the internal ones, as the Strimzi manifest configures the production cluster.
 */
public final class KafkaNodeMain {

    private KafkaNodeMain() {}

    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .clusterMember(Integer.parseInt(args[0]), args[3], args[4])
                .port(Integer.parseInt(args[1]))
                .controllerPort(Integer.parseInt(args[2]))
                .dataDir(Path.of(args[5]))
                .brokerProperty("default.replication.factor", "3")
                .brokerProperty("min.insync.replicas", "2")
                .brokerProperty("offsets.topic.replication.factor", "3")
                .brokerProperty("transaction.state.log.replication.factor", "3")
                .brokerProperty("transaction.state.log.min.isr", "2")
                .brokerProperty("share.coordinator.state.topic.replication.factor", "3")
                .brokerProperty("share.coordinator.state.topic.min.isr", "2")
                // the Flink sinks' 60 s transactions (flink.transaction-timeout), as in 10-kafka.yaml
                .brokerProperty("transaction.max.timeout.ms", "900000")
                .brokerProperty("message.max.bytes", "16777216")
                .build();
        // a SIGTERM stops the node cleanly; a SIGKILL is the crash the test means
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.stop();
            stopped.countDown();
        }));
        broker.start();
        System.out.println("kafka node " + args[0] + " serving at " + broker.bootstrapServers());
        stopped.await();
    }
}
