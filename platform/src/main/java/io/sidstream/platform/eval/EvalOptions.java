package io.sidstream.platform.eval;

import io.sidstream.trainer.eval.OfflineEvaluator;
import io.sidstream.trainer.train.Budget;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The options every offline evaluation takes ({@code eval}, {@code eval-world}): protocol, training budget and plan,
 * decoding, the HTML report. Budgets left unset take the defaults of the run's kind: a quick fixed budget on generated
 * worlds, epochs with validation and early stopping on a dataset.
 */
public final class EvalOptions {

    /** Quick runs on generated worlds: a fixed budget. */
    static final long QUICK_STEPS = 600;

    static final long QUICK_SECONDS = 300;
    /** Datasets: epochs until validation stops improving, within a wall-time guard. */
    static final int DATASET_EPOCHS = 60;
    /**
     * The transformer under a transition prior gains slowly (on amazon-toys the deep model alone needed 20-30 epochs),
     * and validation dips in the first epochs while it is still noise next to the prior.
     */
    static final int DATASET_PATIENCE = 10;

    static final long DATASET_SECONDS = 3600;

    @Option(names = "--prequential", description = "Replay in time order with training cycles; continuous vs frozen.")
    public boolean prequential;

    @Option(
            names = "--cycles",
            defaultValue = "6",
            description = "Time windows of the prequential run (default ${DEFAULT-VALUE}).")
    public int cycles;

    @Option(
            names = "--max-steps",
            description = "Training steps (per cycle when prequential; default " + QUICK_STEPS
                    + ", no limit with --dataset).")
    public Long maxSteps;

    @Option(
            names = "--max-seconds",
            description = "Training time limit in seconds (per cycle when prequential; default " + QUICK_SECONDS + ", "
                    + DATASET_SECONDS + " with --dataset).")
    public Long maxSeconds;

    @Option(
            names = "--epochs",
            description = "Most passes over the training data, validation Recall@10 measured after " + "each (default "
                    + DATASET_EPOCHS + " with --dataset; otherwise only the budget counts).")
    public Integer epochs;

    @Option(
            names = "--patience",
            description = "Stop after this many epochs without a better validation Recall@10; 0 "
                    + "never stops early (default " + DATASET_PATIENCE + ").")
    public Integer patience;

    @Option(
            names = "--validation-cases",
            defaultValue = "5000",
            description = "Validation targets measured after each epoch: a seeded sample when there are more "
                    + "(default ${DEFAULT-VALUE}); the final validation figure uses all of them.")
    public int validationCases;

    @Option(names = "--beam", defaultValue = "20", description = "Beam width (default ${DEFAULT-VALUE}).")
    public int beam;

    @Option(
            names = "--also-beams",
            split = ",",
            paramLabel = "N[,N...]",
            description = "Leave-one-out: also decode the trained model at these beam widths (extra rows).")
    public java.util.List<Integer> alsoBeams = new java.util.ArrayList<>();

    @Option(
            names = "--max-cases",
            defaultValue = "1000",
            description = "Prequential: cases evaluated per cycle (default ${DEFAULT-VALUE}).")
    public int maxCases;

    @Option(
            names = "--report",
            paramLabel = "FILE.html",
            description = "Also write the results, the codebook's quality and the training curves as an HTML page.")
    public Path report;

    @Option(names = "--quiet", description = "No progress bars.")
    public boolean quiet;

    /** The budget of one training run (per cycle when prequential). */
    public Budget budget(boolean dataset) {
        long steps = maxSteps != null ? maxSteps : dataset ? Long.MAX_VALUE : QUICK_STEPS;
        long seconds = maxSeconds != null ? maxSeconds : dataset ? DATASET_SECONDS : QUICK_SECONDS;
        return new Budget(steps, Duration.ofSeconds(seconds));
    }

    /** How leave-one-out training runs: epochs with early stopping on a dataset (or when asked), else the budget alone. */
    public OfflineEvaluator.Plan plan(boolean dataset) {
        int maxEpochs = epochs != null ? epochs : dataset ? DATASET_EPOCHS : 0;
        int wait = patience != null ? patience : DATASET_PATIENCE;
        return new OfflineEvaluator.Plan(budget(dataset), maxEpochs, maxEpochs == 0 ? 0 : wait, validationCases);
    }
}
