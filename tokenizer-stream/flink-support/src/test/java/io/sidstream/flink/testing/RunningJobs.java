package io.sidstream.flink.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;

/** Waiting on a job that runs until cancelled (its sources stay open). */
public final class RunningJobs {

    private RunningJobs() {}

    /**
     * Waits up to {@code atMost} for {@code condition}, failing at once if the job ends meanwhile: a failed job would
     * otherwise show as a timeout, its cause only in the logs.
     */
    public static void awaitWhileRunning(JobClient job, Duration atMost, Callable<Boolean> condition) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(100)).until(() -> {
            JobStatus status = job.getJobStatus().get();
            if (status.isGloballyTerminalState()) {
                throw new AssertionError("job " + job.getJobID() + " ended " + status + " before the condition held: "
                        + job.getJobExecutionResult()
                                .handle((result, failure) -> failure)
                                .get());
            }
            return condition.call();
        });
    }
}
