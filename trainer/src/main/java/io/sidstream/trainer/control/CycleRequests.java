package io.sidstream.trainer.control;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.deadletter.DecodingConsumer;
import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.TrainerAction;
import io.sidstream.schemas.TrainerCommand;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code trainer-control} for a running trainer and turns each fresh {@code RUN_CYCLE} request for its model
 * line into a cycle request (requests that arrive during a cycle make one more cycle after it, not one each).
 * Offsets are committed after a request was handed over, so a request read just before a crash is read again on
 * restart; one older than {@code max-age} by then (or from before the trainer's first start: a new group reads the
 * topic from its beginning) is logged and not acted on. Bad bytes go to {@code trainer-control.dlq}.
 */
public final class CycleRequests implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(CycleRequests.class);
    public static final String STAGE = "trainer-control";

    private final SidstreamConfig config;
    private final ControlConfig control;
    private final java.util.function.Consumer<java.time.Instant> requestCycle;
    private final Clock clock;
    private final AtomicLong accepted = new AtomicLong();
    private volatile boolean stopped;
    private volatile DecodingConsumer<TrainerCommand> consumer;

    /**
     * @param requestCycle asks the scheduler for a cycle that sees the data up to the request's time (a cycle started
     *                     after it already answers it); must not block
     */
    public CycleRequests(
            SidstreamConfig config,
            ControlConfig control,
            java.util.function.Consumer<java.time.Instant> requestCycle,
            Clock clock) {
        this.config = config;
        this.control = control;
        this.requestCycle = requestCycle;
        this.clock = clock;
    }

    /** Requests acted on since start. */
    public long accepted() {
        return accepted.get();
    }

    @Override
    public void run() {
        try (DecodingConsumer<TrainerCommand> requests = new DecodingConsumer<>(
                config.kafka(), config.registry(), control.groupId(), TrainerCommand.class, STAGE)) {
            consumer = requests;
            requests.subscribe(List.of(Topic.TRAINER_CONTROL.topicName()));
            while (!stopped) {
                List<ConsumerRecord<String, TrainerCommand>> polled = requests.poll(control.pollTimeout());
                polled.forEach(record -> handle(record.value()));
                if (!polled.isEmpty()) {
                    requests.commit();
                }
            }
        } catch (WakeupException e) {
            if (!stopped) {
                throw e;
            }
        }
    }

    private void handle(TrainerCommand command) {
        if (!control.modelName().equals(command.getModelName())) {
            LOG.debug(
                    "control request {} is for model {}, not {}",
                    command.getRequestId(),
                    command.getModelName(),
                    control.modelName());
            return;
        }
        Duration age = Duration.between(command.getRequestedTime(), clock.instant());
        if (age.compareTo(control.maxAge()) > 0) {
            LOG.warn(
                    "control request {} ({} by {}) is {} old, more than trainer.control.max-age {}: not acted on",
                    command.getRequestId(),
                    command.getAction(),
                    command.getRequestedBy(),
                    age,
                    control.maxAge());
            return;
        }
        if (command.getAction() == TrainerAction.RUN_CYCLE) {
            LOG.info(
                    "control request {}: a cycle, asked by {}{}",
                    command.getRequestId(),
                    command.getRequestedBy(),
                    command.getReason() == null ? "" : " (" + command.getReason() + ")");
            accepted.incrementAndGet();
            requestCycle.accept(command.getRequestedTime());
        }
    }

    /** Stops the loop; safe from any thread. */
    public void stop() {
        stopped = true;
        DecodingConsumer<TrainerCommand> current = consumer;
        if (current != null) {
            current.kafkaConsumer().wakeup();
        }
    }
}
