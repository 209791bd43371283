package io.sidstream.bench.serve;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sidstream.core.bench.BenchReport;
import io.sidstream.core.cli.ConfigOptions;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.service.Supervised;
import io.sidstream.core.topic.Topic;
import io.sidstream.core.topic.TopicAdmin;
import io.sidstream.kafka.embedded.EmbeddedKafkaBroker;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.checkpoint.CheckpointLayout;
import io.sidstream.model.checkpoint.CheckpointMeta;
import io.sidstream.model.checkpoint.CheckpointStore;
import io.sidstream.model.checkpoint.LocalCheckpointStore;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.publisher.trie.TriePublisher;
import io.sidstream.publisher.trie.TriePublisherConfig;
import io.sidstream.schemas.CheckpointPublished;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.SidEntry;
import io.sidstream.schemas.serde.AvroWireSerializer;
import io.sidstream.serving.model.ModelHolder;
import io.sidstream.serving.model.ServingModel;
import io.sidstream.serving.model.TrainerModelLoader;
import io.sidstream.serving.node.ServingNode;
import io.sidstream.serving.node.ServingNodeConfig;
import io.sidstream.serving.trie.ServingTrie;
import io.sidstream.serving.trie.TrieListener;
import io.sidstream.serving.trie.TrieSubscriber;
import io.sidstream.trainer.TrainerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sidstream bench serve}: the reference serving node with a checkpoint of the default model size (random
 * weights: latency does not depend on them) loaded through the real loader, over HTTP. One client at a time at beam
 * 10 and beam 50, then concurrent clients at beam 10 and at beam 50; then upload-to-servable: {@code SidAssigned}
 * records at a sustained rate through the trie publisher and subscriber, per video from its upload time to the moment
 * the node's decoding trie has it.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description =
                "Serving latency and requests/s at beam 10 and 50, and upload-to-servable latency at a sustained upload rate.")
public final class ServeBench implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CODEBOOK = "bench-cb";

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--seconds", description = "Sustained part of each phase. Default: ${DEFAULT-VALUE}.")
    int seconds = 30;

    @Option(
            names = "--warmup",
            description = "Seconds of requests before the measured phases, so the JIT has compiled "
                    + "the request path (C2 needs well over ten seconds on two cores). Default: ${DEFAULT-VALUE}.")
    int warmupSeconds = 20;

    @Option(
            names = "--clients",
            description = "Concurrent HTTP clients of the throughput phase. Default: ${DEFAULT-VALUE}.")
    int clients = 4;

    @Option(names = "--videos", description = "Servable videos in the trie. Default: ${DEFAULT-VALUE}.")
    int videos = 20_000;

    @Option(
            names = "--novel-share",
            description = "The checkpoint's novel_share: requests decode the novelty mix, "
                    + "the first 90% of the videos (by id) as trained, the rest and every upload as novel; negative: no mix "
                    + "(single-trie decoding). Default: ${DEFAULT-VALUE}.")
    double novelShare = 0.1;

    @Option(names = "--history", description = "History items per request. Default: ${DEFAULT-VALUE}.")
    int history = 20;

    @Option(
            names = "--upload-rate",
            description = "Uploads per second of the upload-to-servable phase. Default: ${DEFAULT-VALUE}.")
    int uploadRate = 100;

    @Override
    public Integer call() throws Exception {
        SidstreamConfig configured = configOptions.load();
        EmbeddedKafkaBroker broker = configured.embeddedKafka()
                ? EmbeddedKafkaBroker.builder()
                        .port(0)
                        .controllerPort(0)
                        .build()
                        .start()
                : null;
        Path dir = Files.createTempDirectory("serve-bench");
        try {
            SidstreamConfig base =
                    broker == null ? configured : configured.withBootstrapServers(broker.bootstrapServers());
            Map<String, String> overrides = new LinkedHashMap<>(configOptions.overrides);
            overrides.put("serving.port", "0");
            overrides.putIfAbsent("publisher.trie.delta-interval", "100ms");
            overrides.put("publisher.trie.transactional-id", "bench-serve-" + System.nanoTime());
            SidstreamConfig config = io.sidstream.core.config.ConfigLoader.load(
                    java.util.Optional.ofNullable(configOptions.file), System.getenv(), overrides);
            config = config.withBootstrapServers(base.kafka().bootstrapServers());
            io.sidstream.serving.model.InferenceThreads.apply(config);
            try (Admin admin = Admin.create(config.kafka().admin())) {
                new TopicAdmin(admin).ensure(TopicAdmin.desired(config.topics()));
            }
            return run(config, dir);
        } finally {
            if (broker != null) {
                broker.close();
            }
            deleteTree(dir);
        }
    }

    private int run(SidstreamConfig config, Path dir) throws Exception {
        ModelConfig modelConfig = TrainerConfig.from(config).model();
        Random random = new Random(7);
        Map<String, List<Integer>> sids = randomSids(modelConfig, videos, random, new HashSet<>());
        List<String> ids = new ArrayList<>(sids.keySet());
        Clock clock = Clock.systemUTC();
        ServingTrie trie = new ServingTrie();
        try (KafkaProducer<String, SidAssigned> producer = new KafkaProducer<>(
                config.kafka().producer("serve-bench"),
                new StringSerializer(),
                AvroWireSerializer.create(config.registry(), SidAssigned.class))) {
            Instant long_ago = Instant.now().minusSeconds(3600);
            sids.forEach((video, sid) -> producer.send(new ProducerRecord<>(
                    Topic.SID_ASSIGNMENTS.topicName(),
                    video,
                    new SidAssigned(video, sid, CODEBOOK, "bench", long_ago, long_ago))));
            producer.flush();
            TriePublisher publisher = new TriePublisher(config, TriePublisherConfig.from(config), clock);
            try (Supervised publishing = new Supervised(
                                    "trie-publisher", () -> Supervised.Part.of(publisher, publisher::stop))
                            .start();
                    Supervised subscribing = new Supervised("trie-subscriber", () -> {
                                TrieSubscriber subscriber = new TrieSubscriber(config, trie, "bench", clock);
                                return Supervised.Part.of(subscriber, subscriber::stop);
                            })
                            .start();
                    ModelHolder holder = new ModelHolder(new TrainerModelLoader(trie, Device.cpu(), clock), clock)) {
                waitFor(() -> trie.size(CODEBOOK) >= videos, Duration.ofMinutes(3), "the trie to fill");
                CheckpointPublished announcement = writeCheckpoint(modelConfig, dir, clock, sids.keySet(), novelShare);
                long loadStarted = System.nanoTime();
                holder.offer(announcement).get();
                if (holder.current().isEmpty()) {
                    throw new IllegalStateException("the bench checkpoint was refused: "
                            + holder.lastRejection().orElse("?"));
                }
                double loadMs = (System.nanoTime() - loadStarted) / 1e6;
                try (ServingNode node = new ServingNode(ServingNodeConfig.from(config), holder).start()) {
                    URI uri = URI.create("http://127.0.0.1:" + node.port() + "/v1/recommend");
                    // JIT and PyTorch's first calls at both beam widths stay out of the measured phases
                    drive(uri, 1, 10, Math.max(1, warmupSeconds * 2 / 3), ids, new Recorder(3), new AtomicLong());
                    drive(uri, 1, 50, Math.max(1, warmupSeconds / 3), ids, new Recorder(3), new AtomicLong());
                    Histogram beam10 = drive(uri, 1, 10, seconds, ids, new Recorder(3), new AtomicLong());
                    Histogram beam50 = drive(uri, 1, 50, seconds, ids, new Recorder(3), new AtomicLong());
                    Throughput beam10Concurrent = concurrent(uri, 10, ids);
                    Throughput beam50Concurrent = concurrent(uri, 50, ids);
                    Histogram inProcess = inProcess(holder, 10, Math.max(2, seconds / 3), ids);
                    Histogram floor = httpFloor(
                            URI.create("http://127.0.0.1:" + node.port() + "/healthz"), Math.max(2, seconds / 3));
                    Histogram servable = uploads(config, trie, modelConfig, random, sids.values(), clock);
                    new BenchReport("serve")
                            .setting(
                                    "model",
                                    modelConfig.dModel() + "d x " + modelConfig.layers() + " layers, history " + history
                                            + ", k 10")
                            .setting("servable videos", videos)
                            .setting("novel share", novelShare < 0 ? "none (single trie)" : String.valueOf(novelShare))
                            .setting(
                                    "checkpoint load (verify + load) ms",
                                    String.format(java.util.Locale.ROOT, "%.0f", loadMs))
                            .setting("seconds per phase", seconds)
                            .setting("concurrent clients", clients)
                            .setting("upload rate per s", uploadRate)
                            .setting("uploads measured", servable.getTotalCount())
                            .setting(
                                    "beam10 / beam50 concurrent p99 ms",
                                    beam10Concurrent.latency().getValueAtPercentile(99) / 1000.0 + " / "
                                            + beam50Concurrent.latency().getValueAtPercentile(99) / 1000.0)
                            .setting(
                                    "beam10 in-process p50 / p99 ms (no HTTP, JSON)",
                                    inProcess.getValueAtPercentile(50) / 1000.0 + " / "
                                            + inProcess.getValueAtPercentile(99) / 1000.0)
                            .setting(
                                    "HTTP floor (GET /healthz) p50 / p99 ms",
                                    floor.getValueAtPercentile(50) / 1000.0 + " / "
                                            + floor.getValueAtPercentile(99) / 1000.0)
                            .latencyMillis("beam10", beam10)
                            .figure("beam10_rps", beam10Concurrent.perSecond())
                            .figure("beam50_p50_ms", beam50.getValueAtPercentile(50) / 1000.0)
                            .figure("beam50_p99_ms", beam50.getValueAtPercentile(99) / 1000.0)
                            .figure("beam50_rps", beam50Concurrent.perSecond())
                            .latencyMillis("upload_to_servable", servable)
                            .print(System.out);
                }
            }
        }
        return 0;
    }

    private record Throughput(double perSecond, Histogram latency) {}

    /** {@code --clients} concurrent clients at one beam width for {@code --seconds}: requests/s and their latency. */
    private Throughput concurrent(URI uri, int beam, List<String> ids) throws InterruptedException {
        AtomicLong answered = new AtomicLong();
        long started = System.nanoTime();
        Histogram latency = drive(uri, clients, beam, seconds, ids, new Recorder(3), answered);
        return new Throughput(answered.get() / ((System.nanoTime() - started) / 1e9), latency);
    }

    /** Requests from {@code threads} clients back to back for {@code durationSeconds}; latency in microseconds. */
    private Histogram drive(
            URI uri,
            int threads,
            int beam,
            int durationSeconds,
            List<String> ids,
            Recorder recorder,
            AtomicLong answered)
            throws InterruptedException {
        long end = System.nanoTime() + durationSeconds * 1_000_000_000L;
        List<Thread> workers = new ArrayList<>();
        AtomicLong failures = new AtomicLong();
        for (int t = 0; t < threads; t++) {
            Random random = new Random(100 + t);
            Thread worker = new Thread(
                    () -> {
                        while (System.nanoTime() < end) {
                            try {
                                List<String> items = new ArrayList<>(history);
                                for (int i = 0; i < history; i++) {
                                    items.add(ids.get(random.nextInt(ids.size())));
                                }
                                byte[] body = JSON.writeValueAsBytes(Map.of(
                                        "history",
                                        items,
                                        "k",
                                        10,
                                        "beamWidth",
                                        beam,
                                        "context",
                                        Map.of("surface", "HOME", "device", "MOBILE", "country", "DE")));
                                long started = System.nanoTime();
                                int status = post(uri, body);
                                recorder.recordValue(Math.max(1, (System.nanoTime() - started) / 1000));
                                if (status != 200) {
                                    failures.incrementAndGet();
                                } else {
                                    answered.incrementAndGet();
                                }
                            } catch (Exception e) {
                                failures.incrementAndGet();
                            }
                        }
                    },
                    "serve-bench-client-" + t);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " requests failed at beam " + beam);
        }
        return recorder.getIntervalHistogram();
    }

    /** The same client and server with no model and no JSON body: what HTTP alone costs here. */
    private static Histogram httpFloor(URI health, int durationSeconds) throws IOException {
        Histogram latency = new Histogram(3);
        long end = System.nanoTime() + durationSeconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            long started = System.nanoTime();
            HttpURLConnection connection = (HttpURLConnection) health.toURL().openConnection();
            try (InputStream in = connection.getInputStream()) {
                in.readAllBytes();
            }
            latency.recordValue(Math.max(1, (System.nanoTime() - started) / 1000));
        }
        return latency;
    }

    /**
     * One blocking request on a kept-alive connection (the JDK pools them per host). The body is buffered and goes out
     * with the headers: streamed after them, Nagle's algorithm held it back for the headers' ACK, which added ~1.5 ms
     * to every request (a POST to the no-model fallback took 1.7 ms against 0.24 ms buffered). The JDK's asynchronous
     * {@code HttpClient} hands each request across two of its own threads and measured about 2 ms slower per request
     * than this on two cores. Both are the client's cost, not the node's.
     */
    private static int post(URI uri, byte[] body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setDoOutput(true);
        connection.setRequestMethod("POST");
        connection.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
        int status = connection.getResponseCode();
        try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            if (in != null) {
                in.readAllBytes(); // read to the end, so the connection goes back to the pool
            }
        }
        return status;
    }

    /** The model alone, one caller: what the HTTP stack adds is the difference to the one-client phase. */
    private Histogram inProcess(ModelHolder holder, int beam, int durationSeconds, List<String> ids) {
        Random random = new Random(99);
        Histogram latency = new Histogram(3);
        long end = System.nanoTime() + durationSeconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            List<String> items = new ArrayList<>(history);
            for (int i = 0; i < history; i++) {
                items.add(ids.get(random.nextInt(ids.size())));
            }
            long started = System.nanoTime();
            try (ModelHolder.Lease lease = holder.acquire().orElseThrow()) {
                lease.model().recommend(new ServingModel.Query(items, "home", "mobile", "DE", null), 10, beam);
            }
            latency.recordValue(Math.max(1, (System.nanoTime() - started) / 1000));
        }
        return latency;
    }

    /** Uploads at {@code uploadRate}/s for {@code seconds}; per video, upload time to the moment the trie has it. */
    private Histogram uploads(
            SidstreamConfig config,
            ServingTrie trie,
            ModelConfig modelConfig,
            Random random,
            Collection<List<Integer>> taken,
            Clock clock)
            throws InterruptedException {
        int count = uploadRate * seconds;
        Set<List<Integer>> used = new HashSet<>(taken);
        Map<String, List<Integer>> fresh = new LinkedHashMap<>();
        while (fresh.size() < count) {
            List<Integer> sid = randomSid(modelConfig, random);
            if (used.add(sid)) {
                fresh.put("upload-" + fresh.size(), sid);
            }
        }
        Recorder recorder = new Recorder(3);
        AtomicLong applied = new AtomicLong();
        Set<String> arrived = java.util.concurrent.ConcurrentHashMap.newKeySet();
        trie.addListener(new TrieListener() {
            @Override
            public void replaced(String codebookVersion, Collection<SidEntry> entries) {
                // a periodic snapshot can be the first to bring an upload; it re-sends the others
                arrivals(entries);
            }

            @Override
            public void changed(String codebookVersion, Collection<SidEntry> added, Collection<String> removed) {
                arrivals(added);
            }

            private void arrivals(Collection<SidEntry> entries) {
                long now = clock.millis();
                for (SidEntry entry : entries) {
                    if (entry.getVideoId().startsWith("upload-") && arrived.add(entry.getVideoId())) {
                        recorder.recordValue(
                                Math.max(1, (now - entry.getUploadTime().toEpochMilli()) * 1000));
                        applied.incrementAndGet();
                    }
                }
            }
        });
        try (KafkaProducer<String, SidAssigned> producer = new KafkaProducer<>(
                config.kafka().producer("serve-bench-uploads"),
                new StringSerializer(),
                AvroWireSerializer.create(config.registry(), SidAssigned.class))) {
            long intervalNanos = 1_000_000_000L / uploadRate;
            long next = System.nanoTime();
            for (Map.Entry<String, List<Integer>> upload : fresh.entrySet()) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                Instant now = clock.instant();
                producer.send(new ProducerRecord<>(
                        Topic.SID_ASSIGNMENTS.topicName(),
                        upload.getKey(),
                        new SidAssigned(upload.getKey(), upload.getValue(), CODEBOOK, "bench", now, now)));
                next += intervalNanos;
            }
            producer.flush();
        }
        waitFor(() -> applied.get() >= count, Duration.ofSeconds(60), "every upload to become servable");
        return recorder.getIntervalHistogram();
    }

    private static CheckpointPublished writeCheckpoint(
            ModelConfig modelConfig, Path dir, Clock clock, java.util.Set<String> videos, double novelShare)
            throws Exception {
        LocalCheckpointStore store = new LocalCheckpointStore(dir.resolve("checkpoints"), 2);
        String version = store.nextVersion();
        try (SidRecModel model = SidRecModel.create(modelConfig, CODEBOOK, Device.cpu())) {
            Map<String, CheckpointStore.FileWriter> files = new LinkedHashMap<>();
            files.put(CheckpointLayout.PARAMETERS, out -> CheckpointLayout.writeParameters(model, out));
            files.put(CheckpointLayout.MODEL_JSON, out -> CheckpointLayout.writeModelConfig(modelConfig, out));
            if (novelShare >= 0) {
                List<String> sorted = videos.stream().sorted().toList();
                List<String> trained = sorted.subList(0, (int) (sorted.size() * 0.9));
                files.put(CheckpointLayout.TRAINED_VIDEOS, out -> CheckpointLayout.writeTrainedVideos(trained, out));
            }
            Map<String, Double> metrics = novelShare >= 0 ? Map.of(CheckpointLayout.NOVEL_SHARE, novelShare) : Map.of();
            store.write(
                    new CheckpointMeta(
                            version, CODEBOOK, clock.millis(), clock.millis(), Map.of(), metrics, true, null),
                    files);
        }
        Path versionDir = store.root().resolve(version);
        String sha = CheckpointLayout.sha256(versionDir.resolve(CheckpointLayout.MANIFEST));
        return CheckpointPublished.newBuilder()
                .setModelName("sidstream")
                .setVersion(1)
                .setUri(versionDir.toUri().toString())
                .setManifestSha256(sha)
                .setCodebookVersion(CODEBOOK)
                .setMetrics(Map.of())
                .setDataWatermark(clock.instant())
                .setSourceOffsets(Map.of())
                .setParentVersion(null)
                .setPublishedTime(clock.instant())
                .build();
    }

    private static Map<String, List<Integer>> randomSids(
            ModelConfig config, int count, Random random, Set<List<Integer>> used) {
        Map<String, List<Integer>> sids = new LinkedHashMap<>();
        while (sids.size() < count) {
            List<Integer> sid = randomSid(config, random);
            if (used.add(sid)) {
                sids.put("video-" + sids.size(), sid);
            }
        }
        return sids;
    }

    private static List<Integer> randomSid(ModelConfig config, Random random) {
        List<Integer> sid = new ArrayList<>();
        for (int level = 0; level < config.levels(); level++) {
            sid.add(random.nextInt(config.codesPerLevel()));
        }
        sid.add(random.nextInt(Math.min(4, config.collisions())));
        return sid;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, Duration timeout, String what)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void deleteTree(Path path) {
        try (var walk = Files.walk(path)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            // a temporary directory; nothing to do
        }
    }
}
