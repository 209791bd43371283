package io.sidstream.platform.status;

import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.sidstream.core.metrics.FreshnessLag;
import io.sidstream.platform.embedded.TopicActivity;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every few seconds, turns the process's freshness histogram and the topics' end offsets into points of the
 * status page's charts: p50/p99 freshness per stage over the last interval, records per second per topic.
 */
public final class StatusSampler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusSampler.class);
    /** Ten minutes of points at the default interval. */
    static final int POINTS = 300;

    private final TopicActivity topics;
    private final Clock clock;
    private final WindowQuantiles quantiles = new WindowQuantiles();
    private final Map<String, Series> freshness = new ConcurrentHashMap<>();
    private final Map<String, Series> throughput = new ConcurrentHashMap<>();
    private volatile Map<String, Long> totals = Map.of();
    private Map<String, Long> previousOffsets;
    private long previousMillis;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "status-sampler");
        thread.setDaemon(true);
        return thread;
    });

    public StatusSampler(TopicActivity topics, Clock clock) {
        this.topics = topics;
        this.clock = clock;
    }

    public StatusSampler start(long intervalMillis) {
        timer.scheduleAtFixedRate(this::sampleQuietly, 0, intervalMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | RuntimeException e) {
            LOG.debug("status sample failed: {}", e.toString());
        }
    }

    void sample() throws InterruptedException, ExecutionException {
        long now = clock.millis();
        HistogramSnapshot lag = FreshnessLag.LAG.collect();
        for (HistogramSnapshot.HistogramDataPointSnapshot point : lag.getDataPoints()) {
            String stage = point.getLabels().get("stage");
            WindowQuantiles.Window window = quantiles.advance(stage, point.getClassicBuckets());
            window.quantile(0.5)
                    .ifPresent(v -> series(freshness, stage + ":p50").add(now, v));
            window.quantile(0.99)
                    .ifPresent(v -> series(freshness, stage + ":p99").add(now, v));
        }
        Map<String, Long> offsets = topics.endOffsets();
        if (previousOffsets != null && now > previousMillis) {
            double seconds = (now - previousMillis) / 1000.0;
            offsets.forEach((topic, end) -> series(throughput, topic)
                    .add(now, Math.max(0, end - previousOffsets.getOrDefault(topic, 0L)) / seconds));
        }
        previousOffsets = offsets;
        previousMillis = now;
        totals = offsets;
    }

    private static Series series(Map<String, Series> all, String name) {
        return all.computeIfAbsent(name, n -> new Series(POINTS));
    }

    Map<String, Object> freshness() {
        return snapshot(freshness);
    }

    Map<String, Object> throughput() {
        return snapshot(throughput);
    }

    Map<String, Long> totals() {
        return totals;
    }

    private static Map<String, Object> snapshot(Map<String, Series> all) {
        Map<String, Object> out = new LinkedHashMap<>();
        all.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.put(e.getKey(), e.getValue().points()));
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
