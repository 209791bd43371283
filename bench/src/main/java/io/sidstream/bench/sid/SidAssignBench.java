package io.sidstream.bench.sid;

import io.sidstream.core.bench.BenchReport;
import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.core.config.ConfigLoader;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.core.topic.TopicAdmin;
import io.sidstream.flink.job.FlinkJobConfig;
import io.sidstream.flink.job.JobEnvironments;
import io.sidstream.flink.job.MiniClusterDefaults;
import io.sidstream.kafka.embedded.EmbeddedKafkaBroker;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.VideoUploaded;
import io.sidstream.schemas.serde.AvroWireDeserializer;
import io.sidstream.schemas.serde.AvroWireSerializer;
import io.sidstream.tokenizer.catalog.SyntheticCatalog;
import io.sidstream.tokenizer.codebook.CodebookFormat;
import io.sidstream.tokenizer.codebook.CodebookPublisher;
import io.sidstream.tokenizer.codebook.CodebookTrainer;
import io.sidstream.tokenizer.codebook.KMeansOptions;
import io.sidstream.tokenizer.embed.OnnxTextEmbedder;
import io.sidstream.tokenizer.embed.TextEmbedder;
import io.sidstream.tokenizer.embed.TextModel;
import io.sidstream.tokenizer.job.SidAssignJob;
import io.sidstream.tokenizer.sid.SidConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sidstream bench sid-assign}: the sid-assign job on a MiniCluster over the broker (its own embedded one by
 * default). Throughput of uploads that carry their embedding: the job draining a backlog written while it was stopped
 * (savepoint), over the span of its SIDs' {@code assignedTime}; the same count sent while it runs, first send to last
 * SID visible (the bench's producer shares the cores: {@code uploads_per_s_embedded_live}). Text: first send to last
 * SID visible, for a burst of uploads that need embedding. Latency: upload sent to SID visible to a read_committed
 * consumer, at a sustained rate, with at-least-once delivery and then exactly-once.
 */
@Command(
        name = "sid-assign",
        description = "Throughput and upload-to-SID latency of the sid-assign job.",
        mixinStandardHelpOptions = true)
public final class SidAssignBench implements Callable<Integer> {

    /** The space of uploads that carry their own embedding: one codebook per space, as in production. */
    private static final String CARRIED_MODEL = "sidstream-bench-synthetic-384";

    @Mixin
    ConfigOptions configOptions;

    @Option(
            names = "--seconds",
            description = "Length of each sustained part (default ${DEFAULT-VALUE}).",
            defaultValue = "30")
    int seconds;

    @Option(
            names = "--rate",
            description = "Uploads/s of the latency parts (default ${DEFAULT-VALUE}).",
            defaultValue = "200")
    int rate;

    @Option(
            names = "--backlog",
            description =
                    "Uploads in the backlog the job drains (default: 20,000 x seconds / 3, at "
                            + "most 200,000); the rate is measured over its second half, so a larger one measures a warmer job.",
            defaultValue = "0")
    int backlog;

    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<Character, AtomicInteger> received = new ConcurrentHashMap<>();
    private final Map<Character, Histogram> latency = new ConcurrentHashMap<>();
    /** Milliseconds from the upload's send to its SID's {@code assignedTime}: bench producer, broker, source, job. */
    private final Map<Character, Histogram> inJob = new ConcurrentHashMap<>();
    /** {@code assignedTime} (epoch ms) of each backlog SID, and the process's CPU time when half of them were read. */
    private final List<Long> backlogAssigned = java.util.Collections.synchronizedList(new ArrayList<>());

    private volatile int backlogHalf = Integer.MAX_VALUE;
    private volatile long backlogHalfCpu;
    /** Uploads that went to the dead-letter topic instead (a full prefix, say): done, but without a SID. */
    private final AtomicInteger deadLettered = new AtomicInteger();
    /** Milliseconds from {@code assignedTime} to the SID read here: the job's sink, the broker, this reader. */
    private final Map<Character, Histogram> toReader = new ConcurrentHashMap<>();

    private volatile long lastReceived;
    private volatile boolean reading = true;
    private final SyntheticCatalog catalog = SyntheticCatalog.standard(9);
    private AvroWireSerializer<VideoUploaded> uploadSerializer;

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("sid-assign-bench-");
        Map<String, String> overrides = new HashMap<>(configOptions.overrides);
        overrides.putIfAbsent(
                "flink.checkpoint-dir", work.resolve("checkpoints").toString());
        overrides.putIfAbsent("sid.group-id", "sid-assign-bench-" + UUID.randomUUID());
        SidstreamConfig config = ConfigLoader.load(Optional.ofNullable(configOptions.file), System.getenv(), overrides);
        EmbeddedKafkaBroker broker = null;
        if (config.embeddedKafka()) {
            broker = EmbeddedKafkaBroker.builder()
                    .dataDir(work.resolve("kafka"))
                    .port(0)
                    .controllerPort(0)
                    .build()
                    .start();
            config = config.withBootstrapServers(broker.bootstrapServers());
        }
        try (Admin admin = Admin.create(config.kafka().admin())) {
            new TopicAdmin(admin).ensure(TopicAdmin.desired(config.topics()));
        }
        BenchReport report = new BenchReport("sid-assign");
        Thread reader = new Thread(readSids(config), "sid-reader");
        reader.setDaemon(true);
        uploadSerializer = AvroWireSerializer.create(config.registry(), VideoUploaded.class);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                config.kafka().producer("sid-bench"), new StringSerializer(), new ByteArraySerializer())) {
            CodebookTrainer trainer = new CodebookTrainer(new KMeansOptions(3, 256, 5, 9, true, 1.5), 256);
            publishCodebook(
                    config,
                    trainer.train(
                            "bench-carried-" + System.currentTimeMillis(), CARRIED_MODEL, catalog.embeddings(20_000)));
            // text uploads are embedded by the job's encoder: their codebook is trained on its vectors of catalog
            // titles
            TextModel textModel = SidConfig.from(config).textModel();
            publishCodebook(
                    config,
                    trainer.train(
                            "bench-text-" + System.currentTimeMillis(),
                            textModel.spaceName(),
                            textCatalog(textModel, 4_000)));
            reader.start();

            // at-least-once first: after an exactly-once job is cancelled, its last open transaction holds back
            // read_committed readers of sid-assignments until the broker aborts it, which is no latency of the job's
            // the sinks take their delivery from the configuration, the environment only its checkpointing mode
            SidstreamConfig alo = withDelivery(overrides, "at-least-once", config);
            FlinkJobConfig atLeastOnce = FlinkJobConfig.from(alo);
            JobClient aloJob = SidAssignJob.fromConfig(alo).start(JobEnvironments.create(atLeastOnce));
            warmUp(producer, 'v');
            sustained(producer, 'a', 'A');
            aloJob.cancel().get();

            SidstreamConfig eo = withDelivery(overrides, "exactly-once", config);
            JobClient job = SidAssignJob.fromConfig(eo).start(JobEnvironments.create(FlinkJobConfig.from(eo)));
            warmUp(producer, 'w');
            int embeddedCount = Math.max(2_000, Math.min(100_000, 20_000 * seconds / 3));
            report.figure("uploads_per_s_embedded_live", burst(producer, 'e', embeddedCount, true));

            // the job's own rate: a backlog written while it is stopped (savepoint), drained after it resumes from the
            // savepoint in this JVM, measured over the second half of the SIDs' assignedTime (the first half warms up
            // the JIT compiler and the restored state, as a job that runs for days is warm)
            String savepoint = job.stopWithSavepoint(
                            false, work.resolve("savepoints").toUri().toString(), SavepointFormatType.NATIVE)
                    .get();
            int backlogCount = backlog > 0 ? backlog : Math.max(2_000, Math.min(200_000, 20_000 * seconds / 3));
            backlogHalf = backlogCount / 2;
            backlog(producer, 'b', backlogCount);
            job = SidAssignJob.fromConfig(eo)
                    .start(JobEnvironments.create(FlinkJobConfig.from(eo).withRestoreFrom(savepoint)));
            await('b', backlogCount, Duration.ofMinutes(10));
            long[] assignedAt =
                    backlogAssigned.stream().mapToLong(Long::longValue).sorted().toArray();
            int measured = assignedAt.length - backlogHalf;
            report.setting("backlog uploads/s by quarter (warm-up shows here)", quarterRates(assignedAt));
            report.figure(
                            "uploads_per_s_embedded",
                            (measured - 1)
                                    * 1000.0
                                    / Math.max(1, assignedAt[assignedAt.length - 1] - assignedAt[backlogHalf]))
                    .figure(
                            "job_cpu_us_per_upload_embedded",
                            (BenchReport.processCpuNanos() - backlogHalfCpu)
                                    / 1e3
                                    / Math.max(1, received('b').get() - backlogHalf));
            // long enough that the last checkpoint's commit (up to one interval) is a small part of the burst
            int textCount = Math.max(200, Math.min(20_000, 300 * seconds));
            report.figure("uploads_per_s_text", burst(producer, 't', textCount, false));
            sustained(producer, 'l', 'L');
            report.latencyMillis("upload_to_sid", both('l', 'L'));
            Histogram aloAll = both('a', 'A');
            report.figure("upload_to_sid_p50_ms_alo", aloAll.getValueAtPercentile(50) / 1000.0)
                    .figure("upload_to_sid_p99_ms_alo", aloAll.getValueAtPercentile(99) / 1000.0)
                    .figure(
                            "upload_to_sid_p50_ms_alo_embedded",
                            latency.get('a').getValueAtPercentile(50) / 1000.0)
                    .figure(
                            "upload_to_sid_p99_ms_alo_embedded",
                            latency.get('a').getValueAtPercentile(99) / 1000.0)
                    .figure("upload_to_sid_p50_ms_alo_text", latency.get('A').getValueAtPercentile(50) / 1000.0)
                    .figure("upload_to_sid_p99_ms_alo_text", latency.get('A').getValueAtPercentile(99) / 1000.0)
                    .figure("upload_to_assigned_p50_ms_alo", inJob.get('a').getValueAtPercentile(50))
                    .figure("upload_to_assigned_p99_ms_alo", inJob.get('a').getValueAtPercentile(99))
                    .figure("assigned_to_visible_p50_ms_alo", toReader.get('a').getValueAtPercentile(50))
                    .figure("assigned_to_visible_p99_ms_alo", toReader.get('a').getValueAtPercentile(99));
            job.cancel().get();

            report.setting(
                            "broker",
                            broker != null
                                    ? "embedded (in this JVM)"
                                    : config.kafka().bootstrapServers())
                    .setting(
                            "embedded burst, backlog",
                            embeddedCount + " and " + backlogCount
                                    + " uploads carrying 384-d embeddings (backlog measured over its second half)")
                    .setting("dead-lettered uploads", deadLettered.get())
                    .setting(
                            "text burst",
                            textCount + " uploads embedded by "
                                    + SidConfig.from(config).embeddingModel())
                    .setting(
                            "sustained",
                            rate + " uploads/s (10% need text embedding) for " + seconds + " s, per delivery mode")
                    .setting("checkpoint interval", FlinkJobConfig.from(eo).checkpointInterval())
                    .setting(
                            "parallelism",
                            MiniClusterDefaults.apply(FlinkJobConfig.from(eo))
                                    .parallelism()
                                    .orElseThrow());
        } finally {
            uploadSerializer.close();
            reading = false;
            reader.join(10_000);
            if (broker != null) {
                broker.close();
            }
            deleteRecursively(work);
        }
        report.print(System.out);
        return 0;
    }

    /** Uploads per second of each quarter of the backlog, by {@code assignedTime}. */
    private static String quarterRates(long[] assignedAt) {
        StringBuilder rates = new StringBuilder();
        int quarter = assignedAt.length / 4;
        for (int q = 0; q < 4 && quarter > 1; q++) {
            long span = Math.max(1, assignedAt[(q + 1) * quarter - 1] - assignedAt[q * quarter]);
            rates.append(q == 0 ? "" : " / ").append(Math.round((quarter - 1) * 1000.0 / span));
        }
        return rates.toString();
    }

    private static void publishCodebook(SidstreamConfig config, CodebookTrainer.Trained trained) {
        byte[] artifact = CodebookFormat.write(trained.codebook());
        new CodebookPublisher(config)
                .publish(CodebookPublisher.announcement(
                        trained.codebook(), artifact, "inline", trained.quality(), Instant.now()));
    }

    private float[][] textCatalog(TextModel model, int n) {
        SyntheticCatalog titles = SyntheticCatalog.standard(7);
        List<String> texts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            texts.add(titles.nextTitle());
        }
        try (TextEmbedder encoder = OnnxTextEmbedder.open(model)) {
            return encoder.embed(texts).toArray(new float[0][]);
        }
    }

    /** An upload with an embedding and one without through the freshly started job, so start-up is not measured. */
    private void warmUp(KafkaProducer<String, byte[]> producer, char tag) throws InterruptedException {
        send(producer, tag, 0, true);
        send(producer, tag, 1, false);
        await(tag, 2, Duration.ofMinutes(3));
    }

    /**
     * Uploads per second from the first send to the last SID visible. The uploads are encoded before the clock starts:
     * encoding 384 boxed floats on this thread, not the job, was what limited the rate (one core busy with it while
     * the job's threads idled). Their upload time is when they were made, a few seconds before the send.
     */
    private double burst(KafkaProducer<String, byte[]> producer, char tag, int count, boolean embedded)
            throws InterruptedException {
        List<ProducerRecord<String, byte[]>> uploads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            uploads.add(encoded(upload(tag + "-" + i, embedded)));
        }
        long start = System.nanoTime();
        for (ProducerRecord<String, byte[]> upload : uploads) {
            sentAt.put(upload.key(), System.nanoTime());
            producer.send(upload);
        }
        producer.flush();
        await(tag, count, Duration.ofMinutes(10));
        return received(tag).get() / ((lastReceived - start) / 1e9);
    }

    /** {@code count} uploads carrying embeddings onto the topic, acknowledged, with no job reading it. */
    private void backlog(KafkaProducer<String, byte[]> producer, char tag, int count) {
        for (int i = 0; i < count; i++) {
            send(producer, tag, i, true);
        }
        producer.flush();
    }

    /**
     * {@code rate} uploads/s for {@code seconds}, one in ten without an embedding (the synthetic world's share, tagged
     * {@code textTag}), latency recorded per SID.
     */
    private void sustained(KafkaProducer<String, byte[]> producer, char tag, char textTag) throws InterruptedException {
        long intervalNanos = 1_000_000_000L / rate;
        long next = System.nanoTime();
        int count = rate * seconds;
        for (int i = 0; i < count; i++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            boolean embedded = i % 10 != 0;
            send(producer, embedded ? tag : textTag, i, embedded);
            next += intervalNanos;
        }
        producer.flush();
        await(textTag, (count + 9) / 10, Duration.ofMinutes(2));
        await(tag, count - (count + 9) / 10, Duration.ofMinutes(2));
    }

    private Histogram both(char embeddedTag, char textTag) {
        Histogram all = latency.get(embeddedTag).copy();
        all.add(latency.get(textTag));
        return all;
    }

    private void send(KafkaProducer<String, byte[]> producer, char tag, int i, boolean embedded) {
        ProducerRecord<String, byte[]> upload = encoded(upload(tag + "-" + i, embedded));
        sentAt.put(upload.key(), System.nanoTime());
        producer.send(upload);
    }

    private ProducerRecord<String, byte[]> encoded(VideoUploaded upload) {
        String topic = Topic.VIDEO_UPLOADS.topicName();
        return new ProducerRecord<>(topic, upload.getVideoId(), uploadSerializer.serialize(topic, upload));
    }

    private VideoUploaded upload(String id, boolean embedded) {
        VideoUploaded.Builder b = VideoUploaded.newBuilder()
                .setVideoId(id + "-" + UUID.randomUUID())
                .setCreatorId("bench")
                .setTitle(catalog.nextTitle())
                .setDurationMs(60_000)
                .setUploadTime(Instant.now());
        if (embedded) {
            List<Float> values = new ArrayList<>(catalog.dim());
            for (float v : catalog.nextEmbedding()) {
                values.add(v);
            }
            b.setContentEmbedding(values).setEmbeddingModel(CARRIED_MODEL);
        }
        return b.build();
    }

    private void await(char tag, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received(tag).get() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + received(tag).get() + " of " + count + " SIDs for '" + tag
                        + "' uploads arrived within " + timeout);
            }
            Thread.sleep(5);
        }
    }

    /** The bench's configuration with {@code flink.delivery} set, wired to the same broker as {@code config}. */
    private SidstreamConfig withDelivery(Map<String, String> overrides, String delivery, SidstreamConfig config) {
        Map<String, String> with = new HashMap<>(overrides);
        with.put("flink.delivery", delivery);
        return ConfigLoader.load(Optional.ofNullable(configOptions.file), System.getenv(), with)
                .withBootstrapServers(config.kafka().bootstrapServers());
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    private AtomicInteger received(char tag) {
        return received.computeIfAbsent(tag, t -> new AtomicInteger());
    }

    private Runnable readSids(SidstreamConfig config) {
        Map<String, Object> props = config.kafka().consumer("sid-bench-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return () -> {
            // dead letters of uploads count as done, so a rejected upload is reported instead of awaited forever
            try (KafkaConsumer<String, byte[]> consumer =
                            new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
                    AvroWireDeserializer<SidAssigned> sids =
                            AvroWireDeserializer.create(config.registry(), SidAssigned.class)) {
                consumer.subscribe(List.of(Topic.SID_ASSIGNMENTS.topicName(), Topic.VIDEO_UPLOADS.deadLetterTopic()));
                while (reading) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.nanoTime();
                        long nowMillis = System.currentTimeMillis();
                        Long sent = record.key() == null ? null : sentAt.remove(record.key());
                        if (sent == null) {
                            continue;
                        }
                        char tag = record.key().charAt(0);
                        if (!record.topic().equals(Topic.SID_ASSIGNMENTS.topicName())) {
                            deadLettered.incrementAndGet();
                            received(tag).incrementAndGet();
                            continue;
                        }
                        latency.computeIfAbsent(tag, t -> new Histogram(3))
                                .recordValue(Math.max(1, (now - sent) / 1000));
                        SidAssigned sid =
                                record.value() == null ? null : sids.deserialize(record.topic(), record.value());
                        if (sid != null) {
                            long assigned = sid.getAssignedTime().toEpochMilli();
                            inJob.computeIfAbsent(tag, t -> new Histogram(3))
                                    .recordValue(Math.max(
                                            0, assigned - sid.getUploadTime().toEpochMilli()));
                            toReader.computeIfAbsent(tag, t -> new Histogram(3))
                                    .recordValue(Math.max(0, nowMillis - assigned));
                            if (tag == 'b') {
                                backlogAssigned.add(assigned);
                            }
                        }
                        lastReceived = now;
                        if (received(tag).incrementAndGet() == backlogHalf && tag == 'b') {
                            backlogHalfCpu = BenchReport.processCpuNanos();
                        }
                    }
                }
            }
        };
    }
}
