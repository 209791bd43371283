package io.sidstream.trainer.service;

import ai.djl.Device;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.model.block.DeviceSelector;
import io.sidstream.model.checkpoint.CheckpointAnnouncer;
import io.sidstream.model.checkpoint.CheckpointStore;
import io.sidstream.model.checkpoint.LocalCheckpointStore;
import io.sidstream.trainer.TrainerConfig;
import io.sidstream.trainer.control.ControlConfig;
import io.sidstream.trainer.control.CycleRequests;
import io.sidstream.trainer.cycle.CycleResult;
import io.sidstream.trainer.cycle.CycleRunner;
import io.sidstream.trainer.cycle.CycleScheduler;
import io.sidstream.trainer.data.KafkaExampleSource;
import io.sidstream.trainer.publish.AnnouncingHooks;
import io.sidstream.trainer.publish.OfflineTable;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer as a long-running part: cycles on {@code training-examples} (schedule, data and on-demand triggers: a
 * call of {@link #requestCycle()} or a request on {@code trainer-control}) on a thread of its own, checkpoints in
 * {@code trainer.checkpoint.dir}, published versions announced on {@code checkpoints}. {@code sidstream train} runs it alone; {@code sidstream up} runs it beside the other parts.
 */
public final class TrainerService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerService.class);
    /** Longest a stop waits for an abandoned cycle to unwind (one training step, a file being written). */
    public static final java.time.Duration STOP_TIMEOUT = java.time.Duration.ofSeconds(20);

    private final LocalCheckpointStore store;
    private final KafkaExampleSource source;
    private final CheckpointAnnouncer announcer;
    private final CycleRunner runner;
    private final CycleScheduler scheduler;
    private final CycleRequests requests;
    private Thread thread;
    private Thread requestThread;
    private boolean closed;

    public TrainerService(SidstreamConfig config, Clock clock) {
        TrainerConfig trainer = TrainerConfig.from(config);
        Device device = DeviceSelector.select(trainer.device());
        store = new LocalCheckpointStore(trainer.checkpointDir(), trainer.checkpointRetain());
        source = new KafkaExampleSource(
                config, trainer.cycle().groupId(), trainer.cycle().pollTimeout());
        try {
            announcer = CheckpointAnnouncer.from(config, clock);
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
        AnnouncingHooks hooks = new AnnouncingHooks(store, announcer);
        // a version published just before a crash may never have been announced
        hooks.announceLatestPublished();
        runner = new CycleRunner(trainer, source, store, device, hooks, OfflineTable.Settings.from(config));
        scheduler = new CycleScheduler(
                runner::runCycle,
                trainer.cycle().interval(),
                trainer.cycle().minNewExamples(),
                trainer.cycle().checkInterval(),
                trainer.cycle().retryBackoff(),
                trainer.cycle().maxRetryBackoff(),
                CycleScheduler.pendingAfterLatest(store, source),
                clock);
        ControlConfig control = ControlConfig.from(config);
        requests = control.enabled() ? new CycleRequests(config, control, scheduler::requestCycle, clock) : null;
    }

    /** Runs cycles on a thread of its own until {@link #close()}. */
    public TrainerService start() {
        thread = new Thread(scheduler, "trainer-cycles");
        thread.setDaemon(true);
        thread.start();
        if (requests != null) {
            requestThread = new Thread(requests, "trainer-control");
            requestThread.setDaemon(true);
            requestThread.start();
        }
        return this;
    }

    /** One cycle now, on the caller's thread (for {@code train --once}); not while {@link #start()}ed. */
    public CycleResult runOnce(String trigger) {
        if (thread != null) {
            throw new IllegalStateException("the trainer runs its own cycles; use requestCycle()");
        }
        return runner.runCycle(trigger);
    }

    /** Asks for a cycle as soon as the running one (if any) ends. */
    public void requestCycle() {
        scheduler.requestCycle();
    }

    /** What the cycle thread is doing, and why the last cycle failed while failures last. */
    public CycleScheduler.Status status() {
        return scheduler.status();
    }

    /** The cycles this service ran since it started, oldest first. */
    public List<CycleResult> results() {
        return scheduler.results();
    }

    /** Every version in the store: the record of the cycles, published or refused, across restarts. */
    public CheckpointStore store() {
        return store;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (requests != null) {
            requests.stop();
        }
        scheduler.stop();
        if (thread != null) {
            // a cycle in progress is abandoned, not finished: its checkpoint is the commit, so nothing of it is
            // written and its examples are read again by the next start (a cycle may train for minutes, longer than
            // any grace period a stop gets)
            thread.interrupt();
            try {
                thread.join(STOP_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("the trainer's cycle did not stop within {}", STOP_TIMEOUT);
            }
        }
        if (requestThread != null) {
            try {
                requestThread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        announcer.close();
        source.close();
    }
}
