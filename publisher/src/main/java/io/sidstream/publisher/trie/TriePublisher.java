package io.sidstream.publisher.trie;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.deadletter.DecodingConsumer;
import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.TrieUpdate;
import io.sidstream.schemas.VideoRemoved;
import io.sidstream.schemas.serde.AvroWireSerializer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the set of valid SIDs per codebook version from {@code sid-assignments} and {@code video-removals}, and
 * publishes it on {@code trie-updates}: deltas every {@code delta-interval}, snapshots every
 * {@code snapshot-interval} and whenever a codebook version appears.
 *
 * <p>State is rebuilt at start from the two compacted input topics, read to their end; numbering resumes from the
 * last sequence on {@code trie-updates}, and the first thing published is a snapshot, which every subscriber takes
 * as a fresh base. Updates are written in Kafka transactions, so a snapshot's chunks appear together and a second
 * publisher with the same transactional id fences the first. Any failure to publish ends the run (the caller
 * restarts it), because a lost delta must never be followed by the next one.
 */
public final class TriePublisher implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(TriePublisher.class);
    private static final Duration POLL = Duration.ofMillis(50);

    static final Counter UPDATES = Counter.builder()
            .name("sidstream_trie_updates_total")
            .help("Trie updates published, by kind (snapshot chunks count one each).")
            .labelNames("kind")
            .register();
    static final Gauge ENTRIES = Gauge.builder()
            .name("sidstream_trie_entries")
            .help("Valid SIDs in the published trie, per codebook version.")
            .labelNames("codebook_version")
            .register();

    private final SidstreamConfig config;
    private final TriePublisherConfig trie;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final TrieState state;

    public TriePublisher(SidstreamConfig config, TriePublisherConfig trie, Clock clock) {
        this.config = config;
        this.trie = trie;
        this.clock = clock;
        this.state = new TrieState(trie.versionsKept());
    }

    public void stop() {
        running.set(false);
    }

    @Override
    public void run() {
        try (DecodingConsumer<SidAssigned> assignments = consumer(SidAssigned.class, Topic.SID_ASSIGNMENTS);
                DecodingConsumer<VideoRemoved> removals = consumer(VideoRemoved.class, Topic.VIDEO_REMOVALS);
                KafkaProducer<String, TrieUpdate> producer = producer()) {
            rebuild(assignments, removals);
            TopicTail.lastSequences(config, Topic.TRIE_UPDATES.topicName()).forEach(state::resumeSequence);
            producer.initTransactions();
            Instant now = clock.instant();
            publish(producer, state.snapshots(trie.snapshotChunkSize(), now, false));
            Instant lastDelta = now;
            Instant lastSnapshot = now;
            while (running.get()) {
                poll(assignments, removals);
                now = clock.instant();
                if (Duration.between(lastSnapshot, now).compareTo(trie.snapshotInterval()) >= 0) {
                    publish(producer, state.snapshots(trie.snapshotChunkSize(), now, false));
                    lastSnapshot = now;
                    lastDelta = now;
                } else if (Duration.between(lastDelta, now).compareTo(trie.deltaInterval()) >= 0) {
                    if (state.hasUnannouncedVersion()) {
                        publish(producer, state.snapshots(trie.snapshotChunkSize(), now, true));
                    }
                    publish(producer, state.deltas(now));
                    lastDelta = now;
                }
            }
        }
    }

    /** Reads both inputs from their beginning to the end they had when we started. */
    private void rebuild(DecodingConsumer<SidAssigned> assignments, DecodingConsumer<VideoRemoved> removals) {
        long started = System.nanoTime();
        CatchUp catchUp = new CatchUp(assignments.kafkaConsumer(), removals.kafkaConsumer());
        while (running.get() && !catchUp.done()) {
            poll(assignments, removals);
        }
        LOG.info(
                "trie state rebuilt in {} ms: {}",
                (System.nanoTime() - started) / 1_000_000,
                state.versions().stream().map(v -> v + "=" + state.size(v)).toList());
    }

    private void poll(DecodingConsumer<SidAssigned> assignments, DecodingConsumer<VideoRemoved> removals) {
        for (ConsumerRecord<String, SidAssigned> record : assignments.poll(POLL)) {
            state.assign(record.value());
        }
        for (ConsumerRecord<String, VideoRemoved> record : removals.poll(POLL)) {
            state.remove(record.value().getVideoId());
        }
    }

    private void publish(KafkaProducer<String, TrieUpdate> producer, List<TrieUpdate> updates) {
        if (updates.isEmpty()) {
            return;
        }
        producer.beginTransaction();
        for (TrieUpdate update : updates) {
            producer.send(new ProducerRecord<>(Topic.TRIE_UPDATES.topicName(), update.getCodebookVersion(), update));
        }
        // a failed send makes the commit throw: the run ends and no later delta can follow a lost one
        producer.commitTransaction();
        for (TrieUpdate update : updates) {
            UPDATES.labelValues(update.getKind().name().toLowerCase()).inc();
        }
        state.versions().forEach(v -> ENTRIES.labelValues(v).set(state.size(v)));
    }

    private <V extends org.apache.avro.specific.SpecificRecord> DecodingConsumer<V> consumer(
            Class<V> type, Topic topic) {
        DecodingConsumer<V> consumer = new DecodingConsumer<>(
                config.kafka(),
                config.registry(),
                trie.transactionalId() + "-" + topic.topicName(),
                type,
                "trie-publisher");
        consumer.assign(CatchUp.partitions(consumer.kafkaConsumer(), topic.topicName()));
        consumer.kafkaConsumer().seekToBeginning(consumer.kafkaConsumer().assignment());
        return consumer;
    }

    private KafkaProducer<String, TrieUpdate> producer() {
        Map<String, Object> props = config.kafka().producer(trie.transactionalId());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, trie.transactionalId());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return new KafkaProducer<>(
                props, new StringSerializer(), AvroWireSerializer.create(config.registry(), TrieUpdate.class));
    }
}
