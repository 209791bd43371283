package io.sidstream.platform.embedded;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;

/** One line of what the platform is doing, for the terminal. */
public final class LiveSummary implements AutoCloseable {

    private final EmbeddedPlatform platform;
    private final Admin admin;
    private final TopicActivity activity;

    public LiveSummary(EmbeddedPlatform platform) {
        this.platform = platform;
        this.admin = Admin.create(platform.config().kafka().admin());
        this.activity = new TopicActivity(admin);
    }

    public String line() throws InterruptedException {
        try {
            Map<String, Long> counts = activity.endOffsets();
            StringBuilder line = new StringBuilder("[" + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] records: "
                    + TopicActivity.summary(counts));
            platform.jobStates()
                    .forEach((job, state) ->
                            line.append(" | ").append(job).append(' ').append(state));
            platform.trainer()
                    .ifPresent(t -> line.append(" | checkpoints: ")
                            .append(t.store().versions().size()));
            platform.serving()
                    .ifPresent(s -> line.append(" | serving: ")
                            .append(s.models()
                                    .current()
                                    .map(info -> "model v" + info.version())
                                    .orElse("no model yet")));
            return line.toString();
        } catch (ExecutionException e) {
            return "[" + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] Kafka not answering: "
                    + e.getCause().getMessage();
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
