package io.sidstream.serving.trie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.testing.KafkaTestSupport;
import io.sidstream.core.topic.Topic;
import io.sidstream.publisher.trie.TriePublisher;
import io.sidstream.publisher.trie.TriePublisherConfig;
import io.sidstream.schemas.RemovalReason;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.SidEntry;
import io.sidstream.schemas.TrieUpdate;
import io.sidstream.schemas.TrieUpdateKind;
import io.sidstream.schemas.VideoRemoved;
import io.sidstream.schemas.serde.AvroWireSerializer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SIDs from the assignment topic to a serving node's trie, through the publisher and the trie topic. */
class TrieFlowTest {

    private static final Instant UPLOADED = Instant.parse("2026-11-23T10:00:00Z");

    private KafkaTestSupport kafka;
    private SidstreamConfig config;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Runnable> stops = new ArrayList<>();

    @BeforeEach
    void start() {
        kafka = KafkaTestSupport.startWithCatalogTopics();
        config = kafka.config(
                Map.of("publisher.trie.delta-interval", "200ms", "publisher.trie.snapshot-chunk-size", "2"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        stops.forEach(Runnable::run);
        for (Thread thread : threads) {
            thread.join(10_000);
        }
        kafka.close();
    }

    @Test
    void newSidsAndRemovalsReachSubscribersAndALateSubscriberConvergesToTheSameTrie() {
        send(Topic.SID_ASSIGNMENTS, "a", assigned("a", 1, 2, 3, 0));
        send(Topic.SID_ASSIGNMENTS, "b", assigned("b", 1, 2, 3, 1));
        send(Topic.SID_ASSIGNMENTS, "c", assigned("c", 4, 5, 6, 0));
        TriePublisher publisher = startPublisher();
        ServingTrie first = new ServingTrie();
        TrieSubscriber firstSubscriber = startSubscriber(first, "node-1");

        await().atMost(Duration.ofSeconds(30)).until(() -> first.size("cb1") == 3);
        assertThat(first.sid("cb1", "b")).contains(List.of(1, 2, 3, 1));

        send(Topic.SID_ASSIGNMENTS, "d", assigned("d", 7, 8, 9, 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> first.sid("cb1", "d").isPresent());

        send(Topic.VIDEO_REMOVALS, "b", new VideoRemoved("b", RemovalReason.COPYRIGHT, UPLOADED.plusSeconds(60)));
        await().atMost(Duration.ofSeconds(10)).until(() -> first.sid("cb1", "b").isEmpty());

        // the publisher restarts: it rebuilds from the compacted topics and numbers on without a gap
        publisher.stop();
        startPublisher();
        send(Topic.SID_ASSIGNMENTS, "e", assigned("e", 7, 8, 9, 1));
        await().atMost(Duration.ofSeconds(30)).until(() -> first.sid("cb1", "e").isPresent());

        ServingTrie late = new ServingTrie();
        TrieSubscriber lateSubscriber = startSubscriber(late, "node-2");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> lateSubscriber.bootstrapped() && late.sequence("cb1") == first.sequence("cb1"));

        assertThat(contents(late, "cb1")).isEqualTo(contents(first, "cb1")).containsOnlyKeys("a", "c", "d", "e");
        assertThat(firstSubscriber.gaps()).isZero();
        assertThat(lateSubscriber.gaps()).isZero();
    }

    @Test
    void aMissingSequenceIsCountedAndTheVersionWaitsForTheNextSnapshot() {
        ServingTrie trie = new ServingTrie();
        send(Topic.TRIE_UPDATES, "cb1", update(1, TrieUpdateKind.SNAPSHOT, List.of(entry("x")), List.of()));
        send(Topic.TRIE_UPDATES, "cb1", update(2, TrieUpdateKind.DELTA, List.of(entry("y")), List.of()));
        TrieSubscriber subscriber = startSubscriber(trie, "node-gap");
        await().atMost(Duration.ofSeconds(30)).until(() -> trie.sequence("cb1") == 2);

        send(Topic.TRIE_UPDATES, "cb1", update(4, TrieUpdateKind.DELTA, List.of(entry("z")), List.of()));
        send(Topic.TRIE_UPDATES, "cb1", update(5, TrieUpdateKind.DELTA, List.of(entry("w")), List.of("x")));
        await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.gaps() == 1);
        // the stale version keeps serving what it had and applies nothing past the gap
        assertThat(contents(trie, "cb1")).containsOnlyKeys("x", "y");

        send(
                Topic.TRIE_UPDATES,
                "cb1",
                update(6, TrieUpdateKind.SNAPSHOT, List.of(entry("y"), entry("z"), entry("w")), List.of()));
        send(Topic.TRIE_UPDATES, "cb1", update(7, TrieUpdateKind.DELTA, List.of(entry("v")), List.of("y")));
        await().atMost(Duration.ofSeconds(10)).until(() -> trie.sequence("cb1") == 7);
        assertThat(contents(trie, "cb1")).containsOnlyKeys("z", "w", "v");
        assertThat(subscriber.gaps()).isEqualTo(1);
    }

    private TriePublisher startPublisher() {
        TriePublisher publisher = new TriePublisher(config, TriePublisherConfig.from(config), Clock.systemUTC());
        run(publisher, publisher::stop, "trie-publisher");
        return publisher;
    }

    private TrieSubscriber startSubscriber(ServingTrie trie, String node) {
        TrieSubscriber subscriber = new TrieSubscriber(config, trie, node, Clock.systemUTC());
        run(subscriber, subscriber::stop, "trie-subscriber-" + node);
        return subscriber;
    }

    private void run(Runnable task, Runnable stop, String name) {
        Thread thread = new Thread(task, name);
        thread.start();
        threads.add(thread);
        stops.add(stop);
    }

    private static Map<String, List<Integer>> contents(ServingTrie trie, String version) {
        Map<String, List<Integer>> contents = new TreeMap<>();
        for (String video : List.of("a", "b", "c", "d", "e", "v", "w", "x", "y", "z")) {
            trie.sid(version, video).ifPresent(sid -> contents.put(video, sid));
        }
        return contents;
    }

    private static SidAssigned assigned(String video, int... codes) {
        List<Integer> list = new ArrayList<>();
        for (int code : codes) {
            list.add(code);
        }
        return new SidAssigned(video, list, "cb1", "test-embedding", UPLOADED, UPLOADED.plusSeconds(1));
    }

    private static SidEntry entry(String video) {
        return new SidEntry(video, List.of(video.charAt(0) % 256, 0, 0, 0), UPLOADED, UPLOADED);
    }

    private static TrieUpdate update(long sequence, TrieUpdateKind kind, List<SidEntry> added, List<String> removed) {
        return new TrieUpdate("cb1", sequence, kind, 0, 1, added, removed, UPLOADED);
    }

    @SuppressWarnings("unchecked")
    private <V extends SpecificRecord> void send(Topic topic, String key, V value) {
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(
                config.kafka().producer("trie-test"),
                new StringSerializer(),
                AvroWireSerializer.create(config.registry(), (Class<V>) value.getClass()))) {
            producer.send(new ProducerRecord<>(topic.topicName(), key, value));
            producer.flush();
        }
    }
}
