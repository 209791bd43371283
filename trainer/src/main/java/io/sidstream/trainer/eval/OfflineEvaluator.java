package io.sidstream.trainer.eval;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.nn.Parameter;
import io.sidstream.core.progress.Progress;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.model.decode.SidTrie;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.trainer.data.Examples;
import io.sidstream.trainer.train.Budget;
import io.sidstream.trainer.train.ModelTrainer;
import io.sidstream.trainer.train.TrainStats;
import io.sidstream.trainer.train.TrainingSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sidstream eval}: leave-one-out with full ranking over all items and seen items filtered, for the model and,
 * from the same split and the same metric code, the popularity and co-occurrence baselines.
 *
 * <p>The model trains on each user's sequence without its last two items. With an epoch plan it trains epoch by epoch
 * and, after each, measures Recall@10 on (a seeded sample of) the validation targets; training stops when that has not
 * improved for {@code patience} epochs, and the parameters of the best epoch are the ones tested. Model selection and
 * stopping see the validation targets only; the test targets are decoded once, at the end.
 */
public final class OfflineEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(OfflineEvaluator.class);
    static final String CODEBOOK = "offline";
    /** Points of the loss curve over a whole run (a point every planned/this steps, at least every step). */
    private static final int CURVE_POINTS = 200;

    private final ModelConfig modelConfig;
    private final TrainingSettings training;
    private final Plan plan;
    private final Device device;
    private final int beamWidth;
    private final Progress progress;
    private List<Integer> otherBeams = List.of();

    /**
     * How long the model trains and how it is stopped.
     *
     * @param budget          steps and wall time over the whole run, whichever ends first
     * @param maxEpochs       passes over the training data (0: only the budget decides, no validation between passes)
     * @param patience        epochs without a better validation Recall@10 before training stops (0: never early)
     * @param validationCases validation targets measured after each epoch (a seeded sample; all when there are fewer)
     */
    public record Plan(Budget budget, int maxEpochs, int patience, int validationCases) {

        public Plan {
            if (maxEpochs < 0 || patience < 0 || validationCases < 1) {
                throw new IllegalArgumentException("need max epochs >= 0, patience >= 0, validation cases >= 1; got "
                        + maxEpochs + ", " + patience + ", " + validationCases);
            }
        }

        /** Only the budget: no passes counted, no validation between them (the synthetic worlds' quick runs). */
        public static Plan budgetOnly(Budget budget) {
            return new Plan(budget, 0, 0, 1);
        }
    }

    /** One epoch of training as the curves show it. */
    public record EpochPoint(
            int epoch,
            long step,
            double meanLoss,
            double validationRecallAt10,
            double seconds,
            double tokensPerSecond) {}

    /** A point of the loss curve: the mean loss of the steps since the previous point. */
    public record LossPoint(long step, double loss) {}

    /** The split's sizes. */
    public record SplitSizes(
            int trainingSequences,
            int trainingExamples,
            long trainingInteractions,
            long trainingTargets,
            int validationCases,
            int testCases) {}

    /**
     * What one run measured. Test figures are of the best epoch's parameters (or the last, without epochs);
     * {@code otherBeams} holds the same model decoded at the other beam widths asked for.
     */
    public record Report(
            RankingMetrics model,
            RankingMetrics popularity,
            RankingMetrics cooccurrence,
            RankingMetrics validationModel,
            RankingMetrics validationPopularity,
            RankingMetrics validationCooccurrence,
            int users,
            int items,
            TrainStats training,
            int bestEpoch,
            List<EpochPoint> epochs,
            List<LossPoint> losses,
            SplitSizes split,
            double evaluationSeconds,
            List<BeamFigures> otherBeams) {}

    /** The trained model decoded at another beam width. */
    public record BeamFigures(int beam, RankingMetrics validation, RankingMetrics test) {}

    public OfflineEvaluator(
            ModelConfig modelConfig, TrainingSettings training, Budget budget, Device device, int beamWidth) {
        this(modelConfig, training, Plan.budgetOnly(budget), device, beamWidth, Progress.silent());
    }

    public OfflineEvaluator(
            ModelConfig modelConfig,
            TrainingSettings training,
            Plan plan,
            Device device,
            int beamWidth,
            Progress progress) {
        this.modelConfig = modelConfig;
        this.training = training;
        this.plan = plan;
        this.device = device;
        this.beamWidth = beamWidth;
        this.progress = progress;
    }

    /** Also decodes the trained model at these beam widths (a decoding choice, read off validation like the rest). */
    public OfflineEvaluator alsoAtBeams(List<Integer> beams) {
        this.otherBeams = List.copyOf(beams);
        return this;
    }

    public Report run(List<Interaction> interactions, Map<String, List<Integer>> sids) {
        LeaveOneOut split = LeaveOneOut.split(interactions);
        Set<String> items = new HashSet<>();
        interactions.forEach(i -> items.add(i.videoId()));
        List<TrainingExample> examples = new ArrayList<>();
        long trainingInteractions = 0;
        long targets = 0;
        for (Map.Entry<String, List<Interaction>> user : split.train().entrySet()) {
            List<TrainingExample> fromUser =
                    Examples.fromSequence(user.getKey(), user.getValue(), modelConfig.maxHistory(), sids, CODEBOOK);
            examples.addAll(fromUser);
            trainingInteractions += user.getValue().size();
            targets += Math.max(0, user.getValue().size() - 1);
        }
        SplitSizes sizes = new SplitSizes(
                split.train().size(),
                examples.size(),
                trainingInteractions,
                targets,
                split.validation().size(),
                split.test().size());
        LOG.info(
                "leave-one-out: {} training sequences ({} interactions, {} next-item targets), {} validation and {} test"
                        + " cases, {} items",
                sizes.trainingSequences(),
                trainingInteractions,
                targets,
                sizes.validationCases(),
                sizes.testCases(),
                items.size());
        PopularityRanker popularity = new PopularityRanker(split.train().values());
        CooccurrenceRanker cooccurrence = new CooccurrenceRanker(split.train().values());
        SidTrie trie = ModelRanker.trieOf(sids, modelConfig.sidLength());
        List<EvalCase> validationSample = sample(split.validation(), plan.validationCases(), training.seed());
        Engine.getInstance().setRandomSeed((int) training.seed());
        try (SidRecModel model = SidRecModel.create(modelConfig, CODEBOOK, device);
                ModelTrainer trainer = new ModelTrainer(model, training)) {
            LOG.info("model: {} parameters, {}", model.parameterCount(), modelConfig);
            trainer.withCatalog(trie).countTransitions(examples, true); // one chunk of a user's sequence per example
            ModelRanker modelRanker = new ModelRanker(model, trie, sids, beamWidth, true);
            Training run = train(model, trainer, examples, modelRanker, validationSample);
            long evaluationStart = System.nanoTime();
            RankingMetrics validationModel = evaluate(modelRanker, split.validation(), "validate");
            RankingMetrics testModel = evaluate(modelRanker, split.test(), "test");
            double evaluationSeconds = (System.nanoTime() - evaluationStart) / 1e9;
            List<BeamFigures> beams = new ArrayList<>();
            for (int beam : otherBeams) {
                ModelRanker at = new ModelRanker(model, trie, sids, beam, true);
                beams.add(new BeamFigures(
                        beam,
                        evaluate(at, split.validation(), "validate beam " + beam),
                        evaluate(at, split.test(), "test beam " + beam)));
            }
            return new Report(
                    testModel,
                    evaluate(popularity, split.test()),
                    evaluate(cooccurrence, split.test()),
                    validationModel,
                    evaluate(popularity, split.validation()),
                    evaluate(cooccurrence, split.validation()),
                    split.test().size(),
                    items.size(),
                    run.stats,
                    run.bestEpoch,
                    run.epochs,
                    run.losses,
                    sizes,
                    evaluationSeconds,
                    beams);
        }
    }

    private record Training(TrainStats stats, int bestEpoch, List<EpochPoint> epochs, List<LossPoint> losses) {}

    /**
     * Trains within the plan: epoch by epoch with validation and early stopping, or (without epochs) until the budget is
     * spent. Leaves the model holding the parameters of its best epoch.
     */
    private Training train(
            SidRecModel model,
            ModelTrainer trainer,
            List<TrainingExample> examples,
            ModelRanker ranker,
            List<EvalCase> validation) {
        Budget budget = plan.budget();
        int perEpoch = trainer.batchesPerEpoch(examples.size());
        long planned = plan.maxEpochs() > 0
                ? Math.min(budget.maxSteps(), (long) perEpoch * plan.maxEpochs())
                : budget.maxSteps();
        trainer.planSteps(planned);
        long curveEvery = Math.max(1, Math.min(planned, 1_000_000_000L) / CURVE_POINTS);
        List<LossPoint> losses = new ArrayList<>();
        List<EpochPoint> epochs = new ArrayList<>();
        double[] window = new double[2];
        long start = System.nanoTime();
        long deadline = start + budget.maxTime().toNanos();
        long steps = 0;
        long seen = 0;
        long tokens = 0;
        double lastLoss = Double.NaN;
        double bestRecall = -1;
        int bestEpoch = 0;
        Map<String, float[]> best = null;
        try (Progress.Task bar = progress.start("train", planned, "steps")) {
            ModelTrainer.StepListener listener = (step, loss, n, t) -> {
                bar.stepBy(1);
                if (Float.isFinite(loss)) {
                    window[0] += loss;
                    window[1]++;
                }
                if (step % curveEvery == 0 && window[1] > 0) {
                    losses.add(new LossPoint(step, window[0] / window[1]));
                    bar.message(String.format(Locale.ROOT, "loss %.3f", window[0] / window[1]));
                    window[0] = 0;
                    window[1] = 0;
                }
            };
            int epoch = 0;
            while (steps < planned && System.nanoTime() < deadline) {
                epoch++;
                long epochSteps = plan.maxEpochs() > 0 ? Math.min(perEpoch, planned - steps) : planned - steps;
                Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
                TrainStats stats = trainer.train(examples, new Budget(epochSteps, left), listener);
                steps += stats.steps();
                seen += stats.examples();
                tokens += stats.tokens();
                lastLoss = stats.lastLoss();
                if (plan.maxEpochs() == 0) {
                    break;
                }
                double recall = evaluate(ranker, validation, null).recallAt10();
                epochs.add(new EpochPoint(
                        epoch,
                        trainer.stepsDone(),
                        stats.lastLoss(),
                        recall,
                        (System.nanoTime() - start) / 1e9,
                        stats.tokensPerSecond()));
                LOG.info(String.format(
                        Locale.ROOT,
                        "epoch %d: %d steps, loss %.4f, validation Recall@10 %.4f (%d cases)," + " %.0f tokens/s",
                        epoch,
                        trainer.stepsDone(),
                        stats.lastLoss(),
                        recall,
                        validation.size(),
                        stats.tokensPerSecond()));
                bar.message(String.format(
                        Locale.ROOT, "loss %.3f, epoch %d val R@10 %.4f", stats.lastLoss(), epoch, recall));
                if (recall > bestRecall) {
                    bestRecall = recall;
                    bestEpoch = epoch;
                    best = copyParameters(model);
                } else if (plan.patience() > 0 && epoch - bestEpoch >= plan.patience()) {
                    LOG.info(
                            "validation Recall@10 has not improved for {} epochs: stopping at epoch {}, best epoch {}",
                            plan.patience(),
                            epoch,
                            bestEpoch);
                    break;
                }
            }
            bar.maxHint(trainer.stepsDone());
        }
        if (best != null) {
            restoreParameters(model, best);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LOG.info(
                "trained on {} examples: {} steps, {} s, loss {}, best epoch {}",
                examples.size(),
                steps,
                String.format(Locale.ROOT, "%.1f", seconds),
                lastLoss,
                bestEpoch);
        return new Training(new TrainStats(steps, seen, tokens, seconds, lastLoss), bestEpoch, epochs, losses);
    }

    private static Map<String, float[]> copyParameters(SidRecModel model) {
        Map<String, float[]> copy = new LinkedHashMap<>();
        for (var entry : model.block().getParameters()) {
            copy.put(entry.getKey(), entry.getValue().getArray().toFloatArray());
        }
        return copy;
    }

    private static void restoreParameters(SidRecModel model, Map<String, float[]> values) {
        for (var entry : model.block().getParameters()) {
            Parameter parameter = entry.getValue();
            parameter.getArray().set(values.get(entry.getKey()));
        }
    }

    /** A seeded sample of {@code n} cases (all of them when there are fewer), in their original order. */
    static List<EvalCase> sample(List<EvalCase> cases, int n, long seed) {
        if (cases.size() <= n) {
            return cases;
        }
        List<Integer> index = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            index.add(i);
        }
        Collections.shuffle(index, new Random(seed));
        List<Integer> picked = new ArrayList<>(index.subList(0, n));
        Collections.sort(picked);
        List<EvalCase> out = new ArrayList<>(n);
        picked.forEach(i -> out.add(cases.get(i)));
        return out;
    }

    public static RankingMetrics evaluate(Ranker ranker, List<EvalCase> cases) {
        RankingMetrics metrics = new RankingMetrics();
        List<List<String>> ranked = ranker.rank(cases, 10);
        for (int i = 0; i < cases.size(); i++) {
            metrics.add(ranked.get(i), cases.get(i).target().videoId());
        }
        return metrics;
    }

    /** The model's figures on {@code cases}, decoded in chunks so a bar (when named) can follow. */
    private RankingMetrics evaluate(ModelRanker ranker, List<EvalCase> cases, String barName) {
        RankingMetrics metrics = new RankingMetrics();
        int chunk = 512;
        try (Progress.Task bar =
                barName == null ? Progress.silent().start("", 0, "") : progress.start(barName, cases.size(), "users")) {
            for (int from = 0; from < cases.size(); from += chunk) {
                List<EvalCase> part = cases.subList(from, Math.min(cases.size(), from + chunk));
                List<List<String>> ranked = ranker.rank(part, 10);
                for (int i = 0; i < part.size(); i++) {
                    metrics.add(ranked.get(i), part.get(i).target().videoId());
                }
                bar.stepBy(part.size());
            }
        }
        return metrics;
    }
}
