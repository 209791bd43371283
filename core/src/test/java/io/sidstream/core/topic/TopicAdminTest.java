package io.sidstream.core.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.core.config.TopicsConfig;
import io.sidstream.core.testing.KafkaTestSupport;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TopicAdminTest {

    static KafkaTestSupport kafka;

    @BeforeAll
    static void startBroker() {
        kafka = KafkaTestSupport.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void createsEveryCatalogTopicOnceAndVerifiesThemOnTheSecondRun() throws Exception {
        TopicsConfig config = new TopicsConfig((short) 1, Map.of("engagements", 4));
        List<TopicSpec> desired = TopicAdmin.desired(config);
        assertThat(desired)
                .extracting(TopicSpec::name)
                .contains("video-uploads", "video-uploads.dlq", "engagements", "sid-assignments", "trie-updates")
                .hasSize(Topic.values().length * 2);

        try (Admin admin = kafka.admin()) {
            TopicAdmin topics = new TopicAdmin(admin);
            List<TopicStatus> first = topics.ensure(desired);
            assertThat(first).extracting(TopicStatus::state).containsOnly(TopicStatus.State.CREATED);

            List<TopicStatus> second = topics.ensure(desired);
            assertThat(second)
                    .hasSameSizeAs(desired)
                    .extracting(TopicStatus::state)
                    .containsOnly(TopicStatus.State.EXISTS);

            assertThat(admin.describeTopics(Set.of("engagements"))
                            .allTopicNames()
                            .get()
                            .get("engagements")
                            .partitions())
                    .hasSize(4);
        }
    }

    @Test
    void reportsAnExistingTopicThatDiffersFromTheCatalogWithoutChangingIt() throws Exception {
        try (Admin admin = kafka.admin()) {
            admin.createTopics(
                            List.of(new NewTopic("drifted", 1, (short) 1).configs(Map.of("cleanup.policy", "delete"))))
                    .all()
                    .get();
            TopicSpec wanted = new TopicSpec("drifted", 3, (short) 1, Map.of("cleanup.policy", "compact"));

            List<TopicStatus> report = new TopicAdmin(admin).ensure(List.of(wanted));

            assertThat(report).singleElement().satisfies(status -> {
                assertThat(status.state()).isEqualTo(TopicStatus.State.MISMATCH);
                assertThat(status.detail())
                        .contains("has 1 partitions, catalog wants 3")
                        .contains("cleanup.policy is delete, catalog wants compact");
            });
            assertThat(admin.describeTopics(Set.of("drifted"))
                            .allTopicNames()
                            .get()
                            .get("drifted")
                            .partitions())
                    .hasSize(1);
        }
    }
}
