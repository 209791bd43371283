package io.sidstream.serving.model;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.sidstream.core.metrics.FreshnessLag;
import io.sidstream.schemas.CheckpointPublished;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model a serving node answers with. New checkpoints load on a background thread and are swapped in atomically;
 * a request holds a lease on the model it started with, and a replaced model is closed when its last lease ends, so
 * no request ever sees a half-loaded or closed model. A checkpoint that fails to load or verify changes nothing:
 * the old model keeps serving and the reason is kept and counted.
 */
public final class ModelHolder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelHolder.class);

    static final Counter LOADS = Counter.builder()
            .name("sidstream_serving_checkpoint_loads_total")
            .help("Checkpoints a serving node tried to load, by outcome (loaded, rejected).")
            .labelNames("outcome")
            .register();
    static final Gauge MODEL_INFO = Gauge.builder()
            .name("sidstream_serving_model_info")
            .help("1 for the model version a serving node answers with.")
            .labelNames("model", "version", "codebook_version")
            .register();
    private static final List<ModelHolder> HOLDERS = new CopyOnWriteArrayList<>();

    static {
        GaugeWithCallback.builder()
                .name("sidstream_serving_model_age_seconds")
                .help("Seconds since the serving model's checkpoint was published (the oldest model in this process).")
                .callback(cb -> HOLDERS.stream()
                        .map(ModelHolder::current)
                        .flatMap(Optional::stream)
                        .mapToLong(info -> info.publishedTime().toEpochMilli())
                        .min()
                        .ifPresent(oldest -> cb.call((System.currentTimeMillis() - oldest) / 1000.0)))
                .register();
    }

    private final ModelLoader loader;
    private final Clock clock;
    private final ExecutorService loading = Executors.newSingleThreadExecutor(r -> new Thread(r, "model-loader"));
    private final AtomicReference<Lease> current = new AtomicReference<>();
    private volatile String lastRejection;

    public ModelHolder(ModelLoader loader, Clock clock) {
        this.loader = loader;
        this.clock = clock;
        HOLDERS.add(this);
    }

    /** Loads the announced checkpoint in the background unless this node already serves it or a newer one. */
    public Future<?> offer(CheckpointPublished announcement) {
        return loading.submit(() -> load(announcement));
    }

    private void load(CheckpointPublished announcement) {
        Optional<ServingModel.Info> serving = current();
        if (serving.isPresent() && serving.get().version() >= announcement.getVersion()) {
            return;
        }
        ServingModel model = tryLoad(announcement, serving);
        if (model == null) {
            model = newestOlderVersion(announcement, serving);
            if (model == null) {
                return;
            }
        }
        swapIn(model);
    }

    private ServingModel tryLoad(CheckpointPublished announcement, Optional<ServingModel.Info> serving) {
        try {
            return loader.load(announcement);
        } catch (Exception e) {
            lastRejection = "version " + announcement.getVersion() + ": " + e.getMessage();
            LOADS.labelValues("rejected").inc();
            LOG.warn(
                    "checkpoint {} of {} rejected, {} keeps serving: {}",
                    announcement.getVersion(),
                    announcement.getModelName(),
                    serving.map(i -> "version " + i.version()).orElse("nothing"),
                    e.getMessage());
            return null;
        }
    }

    /**
     * After {@code rejected} failed: the newest older version that loads and verifies and is newer than what this node
     * serves, so a node that restarts after a damaged announcement answers with the last sound model instead of
     * nothing. Null when there is none.
     */
    private ServingModel newestOlderVersion(CheckpointPublished rejected, Optional<ServingModel.Info> serving) {
        List<CheckpointPublished> older;
        try {
            older = loader.olderVersions(rejected);
        } catch (RuntimeException e) {
            LOG.warn(
                    "cannot list the versions older than rejected checkpoint {}: {}",
                    rejected.getVersion(),
                    e.toString());
            return null;
        }
        for (CheckpointPublished candidate : older) {
            if (serving.isPresent() && serving.get().version() >= candidate.getVersion()) {
                return null;
            }
            ServingModel model = tryLoad(candidate, serving);
            if (model != null) {
                LOG.info(
                        "checkpoint {} was rejected: serving the newest older sound version {} instead",
                        rejected.getVersion(),
                        candidate.getVersion());
                return model;
            }
        }
        return null;
    }

    private void swapIn(ServingModel model) {
        Lease previous = current.getAndSet(new Lease(model));
        LOADS.labelValues("loaded").inc();
        ServingModel.Info info = model.info();
        MODEL_INFO
                .labelValues(info.modelName(), Long.toString(info.version()), info.codebookVersion())
                .set(1);
        FreshnessLag.record(
                FreshnessLag.Stage.CHECKPOINT_TO_SERVING, Duration.between(info.publishedTime(), clock.instant()));
        LOG.info("serving {} version {} (codebook {})", info.modelName(), info.version(), info.codebookVersion());
        if (previous != null) {
            ServingModel.Info old = previous.model.info();
            MODEL_INFO
                    .labelValues(old.modelName(), Long.toString(old.version()), old.codebookVersion())
                    .set(0);
            previous.retire();
        }
    }

    /** The model to answer one request with, or empty before the first checkpoint loaded; close the lease after. */
    public Optional<Lease> acquire() {
        while (true) {
            Lease lease = current.get();
            if (lease == null) {
                return Optional.empty();
            }
            if (lease.tryAcquire()) {
                return Optional.of(lease);
            }
            // retired between get() and tryAcquire(): the newer one is already in place
        }
    }

    public Optional<ServingModel.Info> current() {
        Lease lease = current.get();
        return lease == null ? Optional.empty() : Optional.of(lease.model.info());
    }

    /** Why the last checkpoint that failed was refused, if one did. */
    public Optional<String> lastRejection() {
        return Optional.ofNullable(lastRejection);
    }

    @Override
    public void close() throws InterruptedException {
        HOLDERS.remove(this);
        loading.shutdownNow();
        loading.awaitTermination(10, TimeUnit.SECONDS);
        Lease lease = current.getAndSet(null);
        if (lease != null) {
            lease.retire();
        }
    }

    /** A model with a count of the requests using it; closed when retired and the count reaches zero. */
    public static final class Lease implements AutoCloseable {
        /** Holders count as one until retired. */
        private final AtomicInteger users = new AtomicInteger(1);

        private final ServingModel model;

        Lease(ServingModel model) {
            this.model = model;
        }

        public ServingModel model() {
            return model;
        }

        boolean tryAcquire() {
            int n;
            do {
                n = users.get();
                if (n == 0) {
                    return false;
                }
            } while (!users.compareAndSet(n, n + 1));
            return true;
        }

        void retire() {
            release();
        }

        @Override
        public void close() {
            release();
        }

        private void release() {
            if (users.decrementAndGet() == 0) {
                model.close();
            }
        }
    }
}
