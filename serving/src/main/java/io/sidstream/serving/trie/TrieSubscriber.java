package io.sidstream.serving.trie;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.deadletter.DecodingConsumer;
import io.sidstream.core.metrics.FreshnessLag;
import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.SidEntry;
import io.sidstream.schemas.TrieUpdate;
import io.sidstream.schemas.TrieUpdateKind;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code trie-updates} into a {@link ServingTrie}: starts from the newest snapshot of each codebook
 * version, applies the deltas after it in sequence order, and when a sequence number is missing drops nothing
 * silently: it counts the gap and re-bootstraps from the newest snapshot.
 */
public final class TrieSubscriber implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(TrieSubscriber.class);

    static final Counter GAPS = Counter.builder()
            .name("sidstream_trie_gaps_total")
            .help("Missing trie sequence numbers a subscriber detected (each followed by a re-bootstrap).")
            .register();

    /** The tries of this JVM's subscribers (one per serving node in production). */
    private static final List<ServingTrie> TRIES = new CopyOnWriteArrayList<>();

    static {
        GaugeWithCallback.builder()
                .name("sidstream_trie_age_seconds")
                .help("Seconds since the publisher sent the newest trie update a subscriber applied (the oldest).")
                .callback(cb -> TRIES.stream()
                        .mapToLong(t -> t.lastUpdateTime().toEpochMilli())
                        .min()
                        .ifPresent(oldest -> cb.call((System.currentTimeMillis() - oldest) / 1000.0)))
                .register();
    }

    private final SidstreamConfig config;
    private final ServingTrie trie;
    private final String nodeId;
    private final Clock clock;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, Staging> staging = new HashMap<>();
    /** Offset of the snapshot each version's current state was built from. */
    private final Map<String, Long> baseOffsets = new HashMap<>();
    /** Versions that missed a delta: their deltas wait for the next snapshot (the trie keeps serving meanwhile). */
    private final Set<String> stale = new HashSet<>();

    private volatile boolean bootstrapped;
    private long gaps;

    public TrieSubscriber(SidstreamConfig config, ServingTrie trie, String nodeId, Clock clock) {
        this.config = config;
        this.trie = trie;
        this.nodeId = nodeId;
        this.clock = clock;
        TRIES.add(trie);
    }

    public void stop() {
        running.set(false);
    }

    /** True once the subscriber has read up to where the topic ended when it started (or re-bootstrapped). */
    public boolean bootstrapped() {
        return bootstrapped;
    }

    public long gaps() {
        return gaps;
    }

    @Override
    public void run() {
        try (DecodingConsumer<TrieUpdate> consumer = new DecodingConsumer<>(
                config.kafka(), config.registry(), "serving-trie-" + nodeId, TrieUpdate.class, "serving-trie")) {
            List<TopicPartition> partitions =
                    consumer.kafkaConsumer().partitionsFor(Topic.TRIE_UPDATES.topicName()).stream()
                            .map(p -> new TopicPartition(p.topic(), p.partition()))
                            .toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> caughtUpAt = bootstrap(consumer, partitions);
            SnapshotLocator locator = new SnapshotLocator(config);
            while (running.get()) {
                for (ConsumerRecord<String, TrieUpdate> record : consumer.poll(Duration.ofMillis(100))) {
                    if (!apply(record.value(), record.offset())) {
                        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                        if (rewindToNewerSnapshot(
                                consumer, locator, tp, record.value().getCodebookVersion(), record.offset())) {
                            break; // the rest of this batch is re-read after the snapshot
                        }
                    }
                }
                if (!bootstrapped
                        && caughtUpAt.entrySet().stream()
                                .allMatch(e -> consumer.kafkaConsumer().position(e.getKey()) >= e.getValue())) {
                    bootstrapped = true;
                    LOG.info(
                            "trie bootstrapped: {}",
                            trie.versions().stream()
                                    .map(v -> v + "=" + trie.size(v))
                                    .toList());
                }
            }
        } finally {
            TRIES.remove(trie);
        }
    }

    /**
     * After a gap in {@code version}: when a snapshot newer than the one its state came from lies behind the
     * current position, go back and read from it; otherwise the version waits for the next snapshot ahead.
     */
    private boolean rewindToNewerSnapshot(
            DecodingConsumer<TrieUpdate> consumer,
            SnapshotLocator locator,
            TopicPartition tp,
            String version,
            long position) {
        Long newest = locator.newestSnapshots(List.of(tp)).get(tp).get(version);
        long base = baseOffsets.getOrDefault(version, -1L);
        if (newest != null && newest > base && newest < position) {
            LOG.info("trie {}: re-reading from its snapshot at offset {}", version, newest);
            staging.clear();
            consumer.kafkaConsumer().seek(tp, newest);
            return true;
        }
        LOG.info("trie {}: waiting for its next snapshot", version);
        return false;
    }

    private Map<TopicPartition, Long> bootstrap(
            DecodingConsumer<TrieUpdate> consumer, List<TopicPartition> partitions) {
        bootstrapped = false;
        staging.clear();
        Map<TopicPartition, Long> begin = consumer.kafkaConsumer().beginningOffsets(partitions);
        new SnapshotLocator(config)
                .startOffsets(partitions)
                .forEach((tp, offset) -> consumer.kafkaConsumer().seek(tp, offset < 0 ? begin.get(tp) : offset));
        return consumer.kafkaConsumer().endOffsets(partitions);
    }

    /** False when a sequence number is missing: the version is stale until a snapshot replaces it. */
    boolean apply(TrieUpdate update, long offset) {
        String version = update.getCodebookVersion();
        long sequence = update.getSequence();
        if (update.getKind() == TrieUpdateKind.SNAPSHOT) {
            Staging chunks = staging.get(version);
            if (update.getChunkIndex() == 0) {
                chunks = new Staging(sequence, update.getChunkCount(), offset);
                staging.put(version, chunks);
            } else if (chunks == null || chunks.sequence != sequence || chunks.received != update.getChunkIndex()) {
                return true; // the middle of a snapshot whose start we did not read: wait for the next one
            }
            chunks.entries.addAll(update.getAdded());
            chunks.received++;
            if (chunks.received == chunks.count) {
                staging.remove(version);
                trie.replace(version, sequence, chunks.entries, update.getUpdateTime());
                baseOffsets.put(version, chunks.offset);
                stale.remove(version);
            }
            return true;
        }
        long last = trie.sequence(version);
        if (last == 0 || sequence <= last || stale.contains(version)) {
            return true; // before this version's first snapshot, already applied, or waiting for a snapshot
        }
        if (sequence != last + 1) {
            stale.add(version);
            gaps++;
            GAPS.inc();
            LOG.warn("trie {} jumped from sequence {} to {}: its deltas wait for a snapshot", version, last, sequence);
            return false;
        }
        trie.apply(version, sequence, update.getAdded(), update.getRemovedVideoIds(), update.getUpdateTime());
        long now = clock.millis();
        for (SidEntry added : update.getAdded()) {
            FreshnessLag.record(
                    FreshnessLag.Stage.UPLOAD_TO_SERVABLE,
                    Duration.ofMillis(now - added.getUploadTime().toEpochMilli()));
            if (added.getAssignedTime() != null) {
                FreshnessLag.record(
                        FreshnessLag.Stage.SID_TO_SERVABLE,
                        Duration.ofMillis(now - added.getAssignedTime().toEpochMilli()));
            }
        }
        return true;
    }

    private static final class Staging {
        final long sequence;
        final int count;
        final long offset;
        final List<SidEntry> entries = new ArrayList<>();
        int received;

        Staging(long sequence, int count, long offset) {
            this.sequence = sequence;
            this.count = count;
            this.offset = offset;
        }
    }
}
