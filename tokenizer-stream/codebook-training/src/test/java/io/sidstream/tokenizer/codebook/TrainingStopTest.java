package io.sidstream.tokenizer.codebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sidstream.core.progress.Progress;
import io.sidstream.tokenizer.catalog.SyntheticCatalog;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A stop asked for while a codebook trains ends the training at its next step, by either method, and nothing trained
 * comes back: what lets a SIGTERM during {@code up}'s start or {@code codebook train} end the process within seconds.
 */
class TrainingStopTest {

    private final float[][] catalog = new SyntheticCatalog(32, 6, 4, 0.6, 0.35, 5).embeddings(1_000);
    private final AtomicInteger steps = new AtomicInteger();

    @Test
    void kMeansStopsAtTheNextLloydIteration() {
        // a million iterations per level: only the stop ends this training in time
        CodebookTrainer trainer = new CodebookTrainer(new KMeansOptions(3, 16, 1_000_000, 1, false, 1.0), 16);

        assertThatThrownBy(() -> trainer.train("stopped", "m", catalog, counting(), afterAsked(5)))
                .isInstanceOf(CancellationException.class)
                .hasMessageContaining("nothing was stored");
        // asked before the first level and before each iteration: four iterations ran, the fifth did not start
        assertThat(steps).hasValue(4);
    }

    @Test
    void rqVaeStopsAtTheNextStep() {
        RqVaeOptions options = new RqVaeOptions(3, 16, 12, 64, 8, 256, 0.003, 0.25, 0.95, 1_000);
        CodebookTrainer trainer = CodebookTrainer.rqVae(options, 16);

        assertThatThrownBy(() -> trainer.train("stopped", "m", catalog, counting(), afterAsked(6)))
                .isInstanceOf(CancellationException.class);
        // the warm-up epoch's four steps ran; the stop came while its k-means seeded the codebooks
        assertThat(steps).hasValue(1);
    }

    /** Says "stop" from its {@code n + 1}-th question on. */
    private static BooleanSupplier afterAsked(int n) {
        AtomicInteger asked = new AtomicInteger();
        return () -> asked.incrementAndGet() > n;
    }

    /** Counts the units of work the training reports (Lloyd iterations, epochs). */
    private Progress counting() {
        return (name, total, unit) -> new Progress.Task() {
            @Override
            public void stepBy(long units) {
                steps.addAndGet((int) units);
            }

            @Override
            public void message(String text) {}

            @Override
            public void maxHint(long total) {}

            @Override
            public void close() {}
        };
    }
}
