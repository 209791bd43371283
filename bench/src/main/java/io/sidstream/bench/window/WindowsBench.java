package io.sidstream.bench.window;

import io.sidstream.core.bench.BenchReport;
import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.core.topic.TopicAdmin;
import io.sidstream.kafka.embedded.EmbeddedKafkaBroker;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.schemas.serde.AvroWireDeserializer;
import io.sidstream.schemas.serde.AvroWireSerializer;
import io.sidstream.tokenizer.window.PositiveRule;
import io.sidstream.tokenizer.window.WindowsConfig;
import io.sidstream.tokenizer.window.fixture.SyntheticEngagements;
import io.sidstream.tokenizer.window.job.SequenceWindowsJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sidstream bench windows}: the sequence-windows job draining a pre-filled engagements topic, against a plain
 * consumer that reads and Avro-decodes the same topic in the same run (the ratio is the figure); then the
 * engagement-to-example latency, exactly once, at a paced sustained rate.
 *
 * <p>Throughput: the job's engagement source commits its offsets when a checkpoint completes, together with the
 * transaction of the examples; the sustained rate runs from the first commit past the first half of the topic to the
 * one that reaches its end. The first half warms up the JIT compiler (a third of the CPU of a 20 s drain went to
 * compiling) and the state (users' histories, the catalog): the figure is the steady state of a job that runs for
 * days, and the one-checkpoint lag of commits is at both ends. The plain consumer is measured over the second half of
 * its read too. Because the machine may be shared, the process's CPU time per record in those windows is reported
 * for both. Latency: each
 * paced engagement carries the wall clock as its event time, and a read_committed consumer of training-examples takes
 * the difference when the example becomes visible.
 */
@Command(
        name = "windows",
        mixinStandardHelpOptions = true,
        description =
                "Benchmark the sequence-windows job: engagements/s vs a plain consumer, engagement-to-example latency.")
public final class WindowsBench implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(
            names = "--seconds",
            defaultValue = "30",
            description =
                    "Sustained part: about this many seconds of engagements at 60,000/s are pre-filled, and the paced phase lasts a third of it (at least 5 s).")
    int seconds;

    @Option(names = "--engagements", description = "Pre-filled engagements (default: 60,000 x --seconds).")
    Integer engagements;

    @Option(
            names = "--latency-rate",
            description = "Engagements per second in the paced latency phase (default: half the "
                    + "measured drain rate, at most 5,000/s, so the job keeps up and latency is not queueing).")
    Integer latencyRate;

    @Option(names = "--users", defaultValue = "100000", description = "Distinct users of the synthetic stream.")
    int users;

    @Option(
            names = "--videos",
            defaultValue = "20000",
            description = "Videos of the synthetic catalog (all with a SID).")
    int videos;

    @Override
    public Integer call() throws Exception {
        SidstreamConfig configured = configOptions.load();
        if (!configured.embeddedKafka()) {
            System.err.println("bench windows writes the catalog topics it measures: run it on the embedded broker "
                    + "(kafka.bootstrap.servers = embedded), not on a shared cluster");
            return 2;
        }
        int total = engagements != null ? engagements : 60_000 * seconds;
        Path work = Files.createTempDirectory("sidstream-bench-windows");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .dataDir(work.resolve("kafka"))
                .port(0)
                .controllerPort(0)
                .build()
                .start()) {
            Map<String, String> overrides = new HashMap<>(configOptions.overrides);
            overrides.put("kafka.bootstrap.servers", broker.bootstrapServers());
            overrides.put("flink.checkpoint-dir", work.resolve("checkpoints").toString());
            overrides.putIfAbsent("windows.group-id", "bench-windows");
            configOptions.overrides = overrides;
            SidstreamConfig config = configOptions.load();
            try (Admin admin = Admin.create(config.kafka().admin())) {
                new TopicAdmin(admin).ensure(TopicAdmin.desired(config.topics()));
            }
            run(config, total).print(System.out);
            return 0;
        } finally {
            deleteQuietly(work);
        }
    }

    private BenchReport run(SidstreamConfig config, int total) throws Exception {
        WindowsConfig windows = WindowsConfig.from(config);
        Instant start = Instant.now().minus(Duration.ofHours(1));
        SyntheticEngagements stream = new SyntheticEngagements(42, users, videos, start, 1);

        long fillStart = System.nanoTime();
        long positives = fill(config, stream, total, windows.positiveRule());
        double fillSeconds = seconds(fillStart);

        int warmUp = total / 2;
        Window plain = plainConsumer(config, total, warmUp);

        JobClient job = SequenceWindowsJob.start(config);
        try {
            long runningAt = awaitRunning(job);
            Drain drain =
                    awaitDrained(config, windows.groupId(), Duration.ofSeconds(Math.max(180, total / 2_000)), warmUp);
            double withStartup = drain.consumed() / ((drain.at() - runningAt) / 1e9);
            double jobPerSecond = drain.sustainedPerSecond().orElse(withStartup);
            int pacedRate = latencyRate != null ? latencyRate : (int) Math.max(100, Math.min(5_000, jobPerSecond / 2));

            Histogram latency = latencyPhase(config, stream, Math.max(5, seconds / 3), pacedRate);

            return new BenchReport("windows")
                    .setting("engagements pre-filled", total)
                    .setting("positive engagements (examples)", positives)
                    .setting("pre-fill seconds", String.format(java.util.Locale.ROOT, "%.1f", fillSeconds))
                    .setting("users / videos", users + " / " + videos)
                    .setting("delivery", config.raw().getString("flink.delivery"))
                    .setting("checkpoint interval", config.raw().getString("flink.checkpoint-interval"))
                    .setting("drained completely", drain.complete())
                    .setting(
                            "measured",
                            "second half of the topic (" + (total - warmUp) + " engagements), after " + warmUp
                                    + " that warm up the JVM and the state")
                    .setting(
                            "sustained window s (offset commits past the half, to the last before the end)",
                            String.format(java.util.Locale.ROOT, "%.1f", drain.windowNanos() / 1e9))
                    .setting(
                            "engagements/s from RUNNING (startup included)",
                            String.format(java.util.Locale.ROOT, "%.0f", withStartup))
                    .setting("latency phase rate /s", pacedRate)
                    .setting("latency samples", latency.getTotalCount())
                    .setting("cpu cores", Runtime.getRuntime().availableProcessors())
                    .figure("engagements_per_s", jobPerSecond)
                    .figure("plain_consumer_per_s", plain.perSecond())
                    .figure("ratio", jobPerSecond / plain.perSecond())
                    .figure("job_cpu_us_per_engagement", drain.cpuMicrosPerRecord())
                    .figure("plain_consumer_cpu_us_per_record", plain.cpuMicrosPerRecord())
                    .figure("cpu_ratio", plain.cpuMicrosPerRecord() / drain.cpuMicrosPerRecord())
                    .latencyMillis("engagement_to_example", latency);
        } finally {
            job.cancel().get();
        }
    }

    /** Writes the catalog, then the engagements; returns how many of them are positive. */
    private static long fill(SidstreamConfig config, SyntheticEngagements stream, int total, PositiveRule rule) {
        Properties props = new Properties();
        props.putAll(config.kafka().producer("bench-windows-fill"));
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "524288");
        long positives = 0;
        try (KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
                AvroWireSerializer<SidAssigned> sids = AvroWireSerializer.create(config.registry(), SidAssigned.class);
                AvroWireSerializer<Engagement> values =
                        AvroWireSerializer.create(config.registry(), Engagement.class)) {
            String sidTopic = Topic.SID_ASSIGNMENTS.topicName();
            for (SidAssigned sid : SyntheticEngagements.catalog(stream.videos(), "cb-bench", Instant.now())) {
                producer.send(new ProducerRecord<>(sidTopic, utf8(sid.getVideoId()), sids.serialize(sidTopic, sid)));
            }
            String topic = Topic.ENGAGEMENTS.topicName();
            for (int i = 0; i < total; i++) {
                Engagement e = stream.next();
                if (rule.isPositive(e)) {
                    positives++;
                }
                producer.send(new ProducerRecord<>(topic, utf8(e.getUserId()), values.serialize(topic, e)));
            }
            producer.flush();
        }
        return positives;
    }

    /** Records read over a measured window, its length and the process's CPU time in it. */
    private record Window(long records, long nanos, long cpuNanos) {
        double perSecond() {
            return records / (nanos / 1e9);
        }

        double cpuMicrosPerRecord() {
            return cpuNanos / 1e3 / Math.max(1, records);
        }
    }

    /**
     * What the job is compared with: one consumer reading and decoding the whole topic, nothing else; measured from
     * the poll that passes {@code warmUp} records to the end.
     */
    private static Window plainConsumer(SidstreamConfig config, int total, int warmUp) {
        Map<String, Object> props = new HashMap<>(config.kafka().consumer("bench-plain-" + UUID.randomUUID()));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        long read = 0;
        long fromRecords = 0;
        long from = 0;
        long fromCpu = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
                AvroWireDeserializer<Engagement> values =
                        AvroWireDeserializer.create(config.registry(), Engagement.class)) {
            consumer.subscribe(List.of(Topic.ENGAGEMENTS.topicName()));
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            long checksum = 0;
            while (read < total && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    checksum +=
                            values.deserialize(record.topic(), record.value()).getWatchTimeMs();
                    read++;
                }
                if (from == 0 && read >= warmUp) {
                    from = System.nanoTime();
                    fromCpu = BenchReport.processCpuNanos();
                    fromRecords = read;
                }
            }
            if (checksum == Long.MIN_VALUE) {
                System.out.println("unreachable; keeps the decoded values alive");
            }
        }
        return new Window(read - fromRecords, System.nanoTime() - from, BenchReport.processCpuNanos() - fromCpu);
    }

    private static long awaitRunning(JobClient job) throws Exception {
        while (job.getJobStatus().get() != JobStatus.RUNNING) {
            Thread.sleep(20);
        }
        return System.nanoTime();
    }

    /** A commit of the job's source offsets, as this bench saw it: when, engagements consumed, the process's CPU time. */
    private record Commit(long at, long consumed, long cpuNanos) {}

    /**
     * How far the job got: its last commit, and whether that reached the end of every partition. The sustained window
     * runs from the first commit past the warm-up to the last commit before the end: once the source has read
     * everything, its consumer waits in a poll that flink-connector-kafka 5.0 does not cut short (10 s, hard-coded in
     * KafkaPartitionSplitReader) and the offsets are committed only when it returns, so the time of the final commit
     * says when that poll ended, not when the job finished. Commits while the job is busy are not delayed, so the
     * window has neither the job's start (deployment, catalog, first checkpoint, JIT) nor that wait.
     */
    private record Drain(Commit first, Commit lastBusy, Commit last, boolean complete) {
        long at() {
            return last.at();
        }

        long consumed() {
            return last.consumed();
        }

        long windowNanos() {
            return window().at() - first.at();
        }

        /** The last busy commit, or the last one when the window would otherwise be empty. */
        private Commit window() {
            return lastBusy.consumed() > first.consumed() ? lastBusy : last;
        }

        java.util.OptionalDouble sustainedPerSecond() {
            Commit end = window();
            return end.consumed() > first.consumed() && end.at() > first.at()
                    ? java.util.OptionalDouble.of((end.consumed() - first.consumed()) / ((end.at() - first.at()) / 1e9))
                    : java.util.OptionalDouble.empty();
        }

        double cpuMicrosPerRecord() {
            Commit end = window();
            return (end.cpuNanos() - first.cpuNanos()) / 1e3 / Math.max(1, end.consumed() - first.consumed());
        }
    }

    /**
     * When the job's committed engagement offsets reach the end of every partition; on timeout, how far they got, so a
     * slow machine still gets a rate.
     */
    private static Drain awaitDrained(SidstreamConfig config, String groupId, Duration timeout, long warmUp)
            throws Exception {
        try (Admin admin = Admin.create(config.kafka().admin())) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(Topic.ENGAGEMENTS.topicName()))
                    .allTopicNames()
                    .get()
                    .get(Topic.ENGAGEMENTS.topicName())
                    .partitions()
                    .forEach(p -> latest.put(
                            new TopicPartition(Topic.ENGAGEMENTS.topicName(), p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                    admin.listOffsets(latest).all().get();
            long deadline = System.nanoTime() + timeout.toNanos();
            Commit none = new Commit(0, 0, 0);
            Commit first = none;
            Commit lastBusy = none;
            Commit last = none;
            while (true) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                        .partitionsToOffsetAndMetadata()
                        .get();
                long now = System.nanoTime();
                long consumed = committed.values().stream()
                        .mapToLong(OffsetAndMetadata::offset)
                        .sum();
                boolean drained = ends.entrySet().stream().allMatch(end -> {
                    OffsetAndMetadata at = committed.get(end.getKey());
                    return at != null && at.offset() >= end.getValue().offset();
                });
                if (consumed != last.consumed()) {
                    last = new Commit(now, consumed, BenchReport.processCpuNanos());
                    // the first commit, replaced once by the first past the warm-up (a run cut short still has a
                    // window)
                    if (first == none || (first.consumed() < warmUp && consumed >= warmUp)) {
                        first = last;
                    }
                    if (!drained) {
                        lastBusy = last;
                    }
                }
                if (drained || now >= deadline) {
                    return new Drain(first, lastBusy, last, drained);
                }
                Thread.sleep(50);
            }
        }
    }

    /** Paced engagements stamped with the wall clock; the latency of each positive one to its visible example. */
    private static Histogram latencyPhase(
            SidstreamConfig config, SyntheticEngagements stream, int phaseSeconds, int rate) throws Exception {
        Histogram micros = new Histogram(3_600_000_000L, 3);
        AtomicLong expected = new AtomicLong(Long.MAX_VALUE);
        PositiveRule rule = WindowsConfig.from(config).positiveRule();
        Map<String, Object> props = new HashMap<>(config.kafka().consumer("bench-latency-" + UUID.randomUUID()));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        Thread reader;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            // assigned, not subscribed: no group rebalance can move the reader while it measures
            List<TopicPartition> partitions = consumer.partitionsFor(Topic.TRAINING_EXAMPLES.topicName()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            long phaseStartMillis = System.currentTimeMillis();
            reader = new Thread(
                    () -> readLatencies(config, consumer, micros, expected, phaseStartMillis), "bench-latency-reader");
            reader.start();

            Properties producerProps = new Properties();
            producerProps.putAll(config.kafka().producer("bench-windows-paced"));
            producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "1");
            long sent = 0;
            long positives = 0;
            try (KafkaProducer<byte[], byte[]> producer =
                            new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
                    AvroWireSerializer<Engagement> values =
                            AvroWireSerializer.create(config.registry(), Engagement.class)) {
                String topic = Topic.ENGAGEMENTS.topicName();
                long begin = System.nanoTime();
                long end = begin + Duration.ofSeconds(phaseSeconds).toNanos();
                while (System.nanoTime() < end) {
                    long due = (long) ((System.nanoTime() - begin) / 1e9 * rate);
                    for (; sent < due; sent++) {
                        Engagement e = stream.next(Instant.now());
                        if (rule.isPositive(e)) {
                            positives++;
                        }
                        producer.send(new ProducerRecord<>(topic, utf8(e.getUserId()), values.serialize(topic, e)));
                    }
                    Thread.sleep(1);
                }
                producer.flush();
            }
            expected.set(positives);
            reader.join(Duration.ofSeconds(30).toMillis());
            reader.interrupt();
            reader.join();
        }
        return micros;
    }

    private static void readLatencies(
            SidstreamConfig config,
            KafkaConsumer<byte[], byte[]> consumer,
            Histogram micros,
            AtomicLong expected,
            long phaseStartMillis) {
        try (AvroWireDeserializer<TrainingExample> values =
                AvroWireDeserializer.create(config.registry(), TrainingExample.class)) {
            while (!Thread.currentThread().isInterrupted() && micros.getTotalCount() < expected.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    long nowMicros = System.currentTimeMillis() * 1000;
                    TrainingExample example = values.deserialize(record.topic(), record.value());
                    if (example.getEventTime().toEpochMilli() < phaseStartMillis) {
                        continue; // the pre-filled backlog, when the job had not drained it: not a paced engagement
                    }
                    micros.recordValue(
                            Math.max(0, nowMicros - example.getEventTime().toEpochMilli() * 1000));
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // a temporary directory; the OS cleans up what is left
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new WindowsBench()).execute(args));
    }
}
