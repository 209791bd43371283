package io.sidstream.core.topic;

import io.sidstream.core.config.TopicsConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the catalog's topics on any cluster, or verifies those that exist. Idempotent: a second run creates
 * nothing and reports every topic as already there. An existing topic that differs from the catalog (fewer
 * partitions, another cleanup policy) is reported, never altered behind the operator's back.
 */
public final class TopicAdmin {

    private final Admin admin;

    public TopicAdmin(Admin admin) {
        this.admin = admin;
    }

    /** The topics the catalog asks for under this configuration, dead-letter topics included. */
    public static List<TopicSpec> desired(TopicsConfig config) {
        return Arrays.stream(Topic.values())
                .flatMap(t -> t
                        .specs(
                                config.partitions().getOrDefault(t.topicName(), t.defaultPartitions()),
                                config.replicationFactor())
                        .stream())
                .toList();
    }

    private static final java.time.Duration METADATA_PROPAGATION = java.time.Duration.ofSeconds(15);

    public List<TopicStatus> ensure(Collection<TopicSpec> desired) throws InterruptedException {
        Set<String> existing = get(admin.listTopics().names());
        List<TopicStatus> report = new ArrayList<>();
        List<TopicSpec> missing =
                desired.stream().filter(s -> !existing.contains(s.name())).toList();
        Map<String, TopicSpec> present = desired.stream()
                .filter(s -> existing.contains(s.name()))
                .collect(Collectors.toMap(TopicSpec::name, Function.identity()));

        for (TopicSpec spec : missing) {
            NewTopic topic =
                    new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor()).configs(spec.configs());
            try {
                get(admin.createTopics(List.of(topic)).all());
                report.add(new TopicStatus(spec.name(), TopicStatus.State.CREATED, describe(spec)));
            } catch (TopicAlreadyCreated raced) {
                present.put(spec.name(), spec); // another admin created it meanwhile: verify it below
            }
        }
        if (!present.isEmpty()) {
            report.addAll(verify(present));
        }
        return report;
    }

    private List<TopicStatus> verify(Map<String, TopicSpec> present) throws InterruptedException {
        Map<String, TopicDescription> descriptions =
                untilKnown(() -> admin.describeTopics(present.keySet()).allTopicNames());
        List<ConfigResource> resources = present.keySet().stream()
                .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                .toList();
        Map<ConfigResource, Config> configs =
                untilKnown(() -> admin.describeConfigs(resources).all());
        List<TopicStatus> report = new ArrayList<>();
        for (TopicSpec spec : present.values()) {
            List<String> problems = new ArrayList<>();
            int partitions = descriptions.get(spec.name()).partitions().size();
            if (partitions < spec.partitions()) {
                problems.add("has " + partitions + " partitions, catalog wants " + spec.partitions());
            }
            Config actual = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()));
            String policy = value(actual, "cleanup.policy");
            String wanted = spec.configs().get("cleanup.policy");
            if (wanted != null && !wanted.equals(policy)) {
                problems.add("cleanup.policy is " + policy + ", catalog wants " + wanted);
            }
            report.add(
                    problems.isEmpty()
                            ? new TopicStatus(spec.name(), TopicStatus.State.EXISTS, describe(spec))
                            : new TopicStatus(spec.name(), TopicStatus.State.MISMATCH, String.join("; ", problems)));
        }
        report.sort(java.util.Comparator.comparing(TopicStatus::topic));
        return report;
    }

    private static String value(Config config, String key) {
        ConfigEntry entry = config == null ? null : config.get(key);
        return entry == null ? null : entry.value();
    }

    private static String describe(TopicSpec spec) {
        return spec.partitions() + " partitions, replication " + spec.replicationFactor() + ", "
                + spec.configs().get("cleanup.policy");
    }

    /**
     * A topic another admin has just created is listed before every broker knows it (metadata propagates
     * asynchronously), so describing it can fail with "unknown topic" for a moment: asked again for a while.
     */
    private static <T> T untilKnown(java.util.function.Supplier<org.apache.kafka.common.KafkaFuture<T>> request)
            throws InterruptedException {
        long deadline = System.nanoTime() + METADATA_PROPAGATION.toNanos();
        while (true) {
            try {
                return get(request.get());
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                throw new TopicAlreadyCreated();
            }
            throw new IllegalStateException(
                    "Kafka admin request failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static final class TopicAlreadyCreated extends RuntimeException {
        TopicAlreadyCreated() {
            super(null, null, false, false);
        }
    }
}
