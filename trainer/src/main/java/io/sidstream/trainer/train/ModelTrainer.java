package io.sidstream.trainer.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import io.sidstream.model.block.BatchEncoder;
import io.sidstream.model.block.ParameterNames;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.block.TransitionPrior;
import io.sidstream.model.decode.SidTrie;
import io.sidstream.schemas.TrainingExample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Trains a {@link SidRecModel} in place with Adam (AdamW when a weight decay is set) on the learning-rate schedule of
 * its {@link TrainingSettings}. Batches are cut from length buckets (a shuffled window of examples sorted by history
 * length), so a batch is padded to a similar length throughout. Every batch gets its own NDManager, closed after the
 * step, so a long run holds no more native memory than one batch.
 */
public final class ModelTrainer implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModelTrainer.class);
    /** Batches per length-sorted window: wide enough to pad little, narrow enough to keep batches random. */
    static final int BUCKET_WINDOW = 32;

    private final SidRecModel model;
    private final TrainingSettings settings;
    private final Trainer trainer;
    private final BatchEncoder encoder;
    private final Random random;
    /** Optimizer steps taken so far, over every call: where the schedule stands. */
    private long stepsDone;
    /** Steps the schedule's decay spans; set by {@link #planSteps} or each {@link #train} call's budget. */
    private long plannedSteps;
    /** The SIDs the model chooses among ({@code catalog-softmax}); null for a model that does not need them. */
    private SidTrie catalog;
    /** The model's transition prior (null without one): its count table, read by every batch's features. */
    private final TransitionPrior prior;

    public ModelTrainer(SidRecModel model, TrainingSettings settings) {
        this.model = model;
        this.settings = settings;
        // DJL asks per parameter and update; one rate per optimizer step, from the run's own step count, and the wide
        // part's weights their own
        java.util.Set<String> wideIds = new java.util.HashSet<>();
        model.block().getParameters().forEach(p -> {
            if (p.getKey().equals(ParameterNames.WIDE_WEIGHTS)) {
                wideIds.add(p.getValue().getId());
            }
        });
        ParameterTracker schedule = (parameterId, update) -> wideIds.contains(parameterId)
                ? settings.wideLearningRateAt(stepsDone, plannedSteps)
                : settings.learningRateAt(stepsDone, plannedSteps);
        Optimizer adam = settings.weightDecay() > 0
                ? Optimizer.adamW()
                        .optLearningRateTracker(schedule)
                        .optWeightDecays(settings.weightDecay())
                        .optClipGrad(settings.clipGradient())
                        .build()
                : Optimizer.adam()
                        .optLearningRateTracker(schedule)
                        .optClipGrad(settings.clipGradient())
                        .build();
        // the block computes its own loss; the config's loss is never called
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam).optDevices(new Device[] {model.device()});
        this.trainer = model.djlModel().newTrainer(config);
        this.encoder = new BatchEncoder(model.config());
        this.random = new Random(settings.seed());
        this.prior = model.block().transitionPrior();
    }

    /**
     * Counts the transitions of {@code examples} into the model's transition prior (nothing for a model without one),
     * which its checkpoint saves: every transition of every example when each
     * transition is in one example only (one example per user), else only each example's target (sliding windows,
     * where a transition is in the histories of many examples).
     */
    public ModelTrainer countTransitions(List<TrainingExample> examples, boolean everyTransition) {
        if (prior != null) {
            if (everyTransition) {
                prior.addEveryTransition(examples);
            } else {
                prior.addTargets(examples);
            }
        }
        return this;
    }

    /**
     * The catalogue a {@code catalog-softmax} model trains against: every target's code is chosen among the codes that
     * continue a SID of it (the trie may grow while the trainer holds it).
     */
    public ModelTrainer withCatalog(SidTrie trie) {
        this.catalog = trie;
        return this;
    }

    /** One optimizer step on one batch; returns its loss. */
    public float step(List<TrainingExample> batch) {
        return step(encoder.encodeTraining(batch, catalog, prior));
    }

    float step(BatchEncoder.Encoded encoded) {
        try (NDManager batchManager = model.manager().newSubManager()) {
            NDList inputs = encoded.toTraining(batchManager);
            float loss;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList out = trainer.forward(inputs);
                NDArray total = out.get(0);
                collector.backward(total);
                loss = out.get(1).getFloat();
            }
            // non-finite gradients would turn parameters into NaN for good (Adam's moments keep them), so such a batch
            // is dropped, as mixed-precision loss scalers do, and the next one decides. A finite loss can still come
            // with an infinite gradient: seen as NaN in the first layer's parameters after a step on a finite loss.
            List<String> nonFinite = Float.isFinite(loss) ? nonFiniteGradients() : List.of("loss");
            if (nonFinite.isEmpty()) {
                trainer.step();
                stepsDone++;
            } else {
                LOG.warn(
                        "skipped an optimizer step: loss {}, non-finite gradients of {}; parameters already non-finite: {}",
                        loss,
                        nonFinite,
                        nonFiniteParameters());
                clearGradients();
            }
            return loss;
        }
    }

    /** Called after every optimizer step, for progress and training curves. */
    @FunctionalInterface
    public interface StepListener {
        void stepped(long step, float loss, int examples, int tokens);
    }

    /**
     * The schedule's decay spans {@code totalSteps} steps from the first step of this trainer (a run that trains in
     * several calls, such as epochs with an evaluation between them).
     */
    public void planSteps(long totalSteps) {
        plannedSteps = totalSteps;
    }

    /** Optimizer steps taken so far. */
    public long stepsDone() {
        return stepsDone;
    }

    /** Batches of one pass over {@code examples}. */
    public int batchesPerEpoch(int examples) {
        return (examples + settings.batchSize() - 1) / settings.batchSize();
    }

    /** Passes over {@code examples} in shuffled batches until the budget is spent. */
    public TrainStats train(List<TrainingExample> examples, Budget budget) {
        return train(examples, budget, (step, loss, n, tokens) -> {});
    }

    /**
     * The same, telling {@code listener} about every step. The schedule's decay spans what {@link #planSteps} set, or
     * else this call's step budget.
     */
    public TrainStats train(List<TrainingExample> examples, Budget budget, StepListener listener) {
        if (examples.isEmpty()) {
            return new TrainStats(0, 0, 0, 0, Double.NaN);
        }
        if (plannedSteps == 0) {
            plannedSteps = stepsDone + budget.maxSteps();
        }
        List<TrainingExample> order = new ArrayList<>(examples);
        long start = System.nanoTime();
        long deadline = start + budget.maxTime().toNanos();
        long steps = 0;
        long seen = 0;
        long tokens = 0;
        double recentLoss = 0;
        int recentCount = 0;
        // an interrupt (the trainer stopping) ends the run at the next step, as a spent budget would
        while (steps < budget.maxSteps()
                && System.nanoTime() < deadline
                && !Thread.currentThread().isInterrupted()) {
            for (List<TrainingExample> batch : lengthBuckets(order)) {
                if (steps >= budget.maxSteps()
                        || System.nanoTime() >= deadline
                        || Thread.currentThread().isInterrupted()) {
                    break;
                }
                BatchEncoder.Encoded encoded = encoder.encodeTraining(batch, catalog, prior);
                float loss = step(encoded);
                steps++;
                seen += batch.size();
                tokens += encoded.positions();
                listener.stepped(stepsDone, loss, batch.size(), encoded.positions());
                if (Float.isFinite(loss)) { // a skipped batch says nothing about where training stands
                    recentLoss = recentCount < 20 ? recentLoss + loss : recentLoss * 19.0 / 20.0 + loss;
                    recentCount = Math.min(20, recentCount + 1);
                }
            }
        }
        return new TrainStats(
                steps,
                seen,
                tokens,
                (System.nanoTime() - start) / 1e9,
                recentCount == 0 ? Double.NaN : recentLoss / recentCount);
    }

    /**
     * One epoch's batches: the examples shuffled, then windows of {@link #BUCKET_WINDOW} batches each sorted by
     * history length and cut into batches, and the batches shuffled. Each batch holds similar lengths (little
     * padding) while every batch is still a random draw from a random window.
     */
    List<List<TrainingExample>> lengthBuckets(List<TrainingExample> order) {
        Collections.shuffle(order, random);
        int size = settings.batchSize();
        int window = size * BUCKET_WINDOW;
        List<List<TrainingExample>> batches = new ArrayList<>();
        for (int from = 0; from < order.size(); from += window) {
            List<TrainingExample> bucket = new ArrayList<>(order.subList(from, Math.min(order.size(), from + window)));
            bucket.sort(java.util.Comparator.comparingInt(e -> encoder.readLength(e.getHistory())));
            for (int b = 0; b < bucket.size(); b += size) {
                batches.add(bucket.subList(b, Math.min(bucket.size(), b + size)));
            }
        }
        Collections.shuffle(batches, random);
        return batches;
    }

    /**
     * Names of parameters whose gradient holds a NaN or an infinity. The per-parameter sums are added on the device
     * and read back once, so a step pays one synchronisation for the check; names are looked up only when it fails.
     */
    private List<String> nonFiniteGradients() {
        try (NDManager scratch = model.manager().newSubManager()) {
            List<String> names = new ArrayList<>();
            NDList sums = new NDList();
            model.block().getParameters().forEach(p -> {
                NDArray values = p.getValue().getArray();
                if (values.hasGradient()) {
                    // each getGradient() is a new handle on the model's manager: it must go with the scratch
                    NDArray gradient = values.getGradient();
                    gradient.attach(scratch);
                    NDArray sum = gradient.sum();
                    sum.attach(scratch);
                    names.add(p.getKey());
                    sums.add(sum);
                }
            });
            if (sums.isEmpty()) {
                return List.of();
            }
            NDArray total = NDArrays.stack(sums).sum();
            if (Float.isFinite(total.getFloat())) {
                return List.of();
            }
            List<String> bad = new ArrayList<>();
            float[] each = NDArrays.stack(sums).toFloatArray();
            for (int i = 0; i < each.length; i++) {
                if (!Float.isFinite(each[i])) {
                    bad.add(names.get(i));
                }
            }
            return bad.isEmpty() ? names : bad; // finite sums adding up to an overflow: name them all
        }
    }

    /** Zeroes every gradient, NaN included (a subtraction would keep a NaN), so a dropped batch leaves nothing behind. */
    private void clearGradients() {
        try (NDManager scratch = model.manager().newSubManager()) {
            model.block().getParameters().forEach(p -> {
                NDArray values = p.getValue().getArray();
                if (values.hasGradient()) {
                    NDArray gradient = values.getGradient();
                    gradient.attach(scratch);
                    zero(gradient);
                }
            });
        }
    }

    /** Fills an array with zeros in place, whatever it held. */
    static void zero(NDArray array) {
        array.set(new NDIndex("..."), 0f);
    }

    /**
     * Names of parameters holding a NaN or an infinity: none means the batch itself produced the non-finite loss,
     * some means an earlier step poisoned the model (a diagnosis for the rare divergence seen on small data).
     */
    private List<String> nonFiniteParameters() {
        List<String> bad = new ArrayList<>();
        model.block().getParameters().forEach(p -> {
            for (float value : p.getValue().getArray().toFloatArray()) {
                if (!Float.isFinite(value)) {
                    bad.add(p.getKey());
                    break;
                }
            }
        });
        return bad;
    }

    public SidRecModel model() {
        return model;
    }

    @Override
    public void close() {
        trainer.close();
    }
}
