package io.sidstream.platform.embedded;

import io.sidstream.core.config.SidstreamConfig;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;

/** One line of what the platform is doing, for the terminal. */
public final class LiveSummary implements AutoCloseable {

    private final Admin admin;
    private final TopicActivity activity;

    public LiveSummary(SidstreamConfig config) {
        this.admin = Admin.create(config.kafka().admin());
        this.activity = new TopicActivity(admin);
    }

    public String line() throws InterruptedException {
        try {
            Map<String, Long> counts = activity.endOffsets();
            return "[" + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] records: " + TopicActivity.summary(counts);
        } catch (ExecutionException e) {
            return "[" + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] Kafka not answering: " + e.getCause().getMessage();
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
