package io.sidstream.trainer.cycle;

import static io.sidstream.model.checkpoint.CheckpointLayout.CYCLE_RESULT;
import static io.sidstream.model.checkpoint.CheckpointLayout.HOLDOUT;
import static io.sidstream.model.checkpoint.CheckpointLayout.MODEL_JSON;
import static io.sidstream.model.checkpoint.CheckpointLayout.NOVEL_SHARE;
import static io.sidstream.model.checkpoint.CheckpointLayout.OFFLINE_TABLE;
import static io.sidstream.model.checkpoint.CheckpointLayout.PARAMETERS;
import static io.sidstream.model.checkpoint.CheckpointLayout.REPLAY;
import static io.sidstream.model.checkpoint.CheckpointLayout.TRAINED_VIDEOS;
import static io.sidstream.model.checkpoint.CheckpointLayout.VIDEOS;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sidstream.model.block.BatchEncoder;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.checkpoint.CheckpointLayout;
import io.sidstream.model.checkpoint.CheckpointMeta;
import io.sidstream.model.checkpoint.CheckpointStore;
import io.sidstream.model.checkpoint.CheckpointStore.StoredCheckpoint;
import io.sidstream.model.checkpoint.ExampleFiles;
import io.sidstream.model.checkpoint.OfflineTableFile;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.model.decode.SidTrie;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.trainer.TrainerConfig;
import io.sidstream.trainer.data.ExampleSource;
import io.sidstream.trainer.eval.HoldoutEvaluator;
import io.sidstream.trainer.eval.HoldoutMetrics;
import io.sidstream.trainer.publish.OfflineTable;
import io.sidstream.trainer.train.Budget;
import io.sidstream.trainer.train.ModelTrainer;
import io.sidstream.trainer.train.TrainStats;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One incremental training cycle: read the examples after the last checkpoint's offsets, hold out the most recent
 * slice, train the previous holdout plus the rest with a replay sample of older examples, warm-started from the
 * published model (from scratch on the first cycle, a codebook change or a model config change), evaluate candidate
 * and serving model on the same holdout, gate, and write a checkpoint that carries the new offsets.
 *
 * <p>The offsets are committed only inside the checkpoint, written atomically after training: a crash anywhere
 * before that leaves the previous checkpoint, whose offsets re-read exactly the same examples.
 */
public final class CycleRunner {

    private static final Logger LOG = LoggerFactory.getLogger(CycleRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainerConfig config;
    private final ExampleSource source;
    private final CheckpointStore store;
    private final Device device;
    private final CycleHooks hooks;
    private final Random random;
    private final OfflineTable.Settings offlineTable;

    public CycleRunner(
            TrainerConfig config, ExampleSource source, CheckpointStore store, Device device, CycleHooks hooks) {
        this(config, source, store, device, hooks, OfflineTable.Settings.DEFAULT);
    }

    public CycleRunner(
            TrainerConfig config,
            ExampleSource source,
            CheckpointStore store,
            Device device,
            CycleHooks hooks,
            OfflineTable.Settings offlineTable) {
        this.offlineTable = offlineTable;
        this.config = config;
        this.source = source;
        this.store = store;
        this.device = device;
        this.hooks = hooks;
        this.random = new Random(config.training().seed());
    }

    /** Runs one cycle; a cycle that throws counts as failed and leaves the store as it was before it. */
    public CycleResult runCycle(String trigger) {
        long started = System.nanoTime();
        try {
            return cycle(trigger, started);
        } catch (CycleAbandonedException e) {
            throw e;
        } catch (RuntimeException | Error e) {
            if (Thread.currentThread().isInterrupted()) {
                // a read or write cut short by the stop (Kafka's InterruptException, ClosedByInterruptException)
                CycleAbandonedException abandoned = new CycleAbandonedException("the trainer is stopping: cycle "
                        + "abandoned, nothing written; its examples stay unconsumed for the next cycle");
                abandoned.initCause(e);
                throw abandoned;
            }
            TrainerMetrics.failed((System.nanoTime() - started) / 1e9);
            throw e;
        }
    }

    private CycleResult cycle(String trigger, long started) {
        // verified on read: a damaged version is quarantined here, and the cycle goes on from the newest sound one
        // (its offsets re-read what the damaged one had consumed, so nothing is lost)
        Optional<StoredCheckpoint> latest = store.latestValid();
        Optional<StoredCheckpoint> published =
                latest.isPresent() && latest.get().meta().published() ? latest : store.latestValidPublished();
        Map<Integer, Long> offsets = latest.map(c -> c.meta().offsets()).orElse(Map.of());
        ExampleSource.Read read = source.readSince(offsets);
        if (read.examples().isEmpty()) {
            LOG.info("cycle ({}): no new examples after offsets {}", trigger, offsets);
            return new CycleResult(null, trigger, 0, 0, 0, 0, 0, 0, 0, false, null, null, false, "no new examples");
        }
        ModelConfig modelConfig = config.model();
        BatchEncoder encoder = new BatchEncoder(modelConfig);
        String codebook = read.examples().get(read.examples().size() - 1).getCodebookVersion();
        boolean sameCodebook =
                latest.map(c -> c.meta().codebookVersion().equals(codebook)).orElse(false);

        List<TrainingExample> replayReservoir =
                sameCodebook ? CheckpointLayout.readExamples(latest.get(), REPLAY) : new ArrayList<>();
        List<TrainingExample> pendingHoldout =
                sameCodebook ? CheckpointLayout.readExamples(latest.get(), HOLDOUT) : new ArrayList<>();
        VideoCatalog catalog = sameCodebook ? readCatalog(latest.get()) : new VideoCatalog();

        List<TrainingExample> fresh = new ArrayList<>();
        int dropped = 0;
        for (TrainingExample e : read.examples()) {
            if (e.getCodebookVersion().equals(codebook) && encoder.fits(e)) {
                fresh.add(e);
            } else {
                dropped++;
            }
        }
        fresh.sort(Comparator.comparing(TrainingExample::getEventTime));
        int holdoutSize = (int) Math.floor(fresh.size() * config.cycle().holdoutFraction());
        List<TrainingExample> holdout = List.copyOf(fresh.subList(fresh.size() - holdoutSize, fresh.size()));
        List<TrainingExample> trainNew = new ArrayList<>(pendingHoldout);
        trainNew.addAll(fresh.subList(0, fresh.size() - holdoutSize));
        List<TrainingExample> replay = sample(replayReservoir, (int) Math.min(
                replayReservoir.size(),
                Math.round(trainNew.size() * config.cycle().replayFraction())));

        Set<String> knownBefore = catalog.videos();
        Set<String> coldVideos = new HashSet<>();
        for (TrainingExample e : fresh) {
            if (!catalog.contains(e.getTargetVideoId())) {
                coldVideos.add(e.getTargetVideoId());
            }
        }
        catalog.addAll(fresh);
        SidTrie trie = catalog.trie(modelConfig.sidLength());

        Optional<StoredCheckpoint> warmFrom = published.filter(p ->
                p.meta().codebookVersion().equals(codebook) && modelConfig.equals(CheckpointLayout.readModelConfig(p)));
        boolean fromScratch = warmFrom.isEmpty();
        Engine.getInstance().setRandomSeed((int) config.training().seed());
        HoldoutEvaluator evaluator = new HoldoutEvaluator(config.cycle().beamWidth());
        try (SidRecModel candidate = warmFrom.map(p -> loadModel(p, codebook))
                .orElseGet(() -> SidRecModel.create(modelConfig, codebook, device))) {
            List<TrainingExample> trainSet = new ArrayList<>(trainNew);
            trainSet.addAll(replay);
            TrainStats stats;
            // a prior counts each event once, as the target of its own example: replayed examples were counted before
            try (ModelTrainer trainer = new ModelTrainer(candidate, config.training())
                    .withCatalog(trie)
                    .countTransitions(trainNew, false)) {
                stats = trainer.train(
                        trainSet,
                        new Budget(config.cycle().maxSteps(), config.cycle().maxTime()));
            }
            abandonIfStopping("training");
            hooks.afterTraining(candidate, trainNew);

            // each model decodes the videos its weights have seen and the novel ones as a mixture (NoveltyMix), the
            // same way the serving node will: the candidate's are this cycle's training set plus, when warm-started,
            // what the parent trained on (its own file; a parent written before the file existed is approximated by
            // the catalog known before this cycle)
            Set<String> exactlyTrained = new java.util.TreeSet<>(NoveltyShares.videos(trainSet));
            warmFrom.ifPresent(p ->
                    exactlyTrained.addAll(CheckpointLayout.readTrainedVideos(p).orElse(knownBefore)));
            double novelShare = NoveltyShares.recent(trainNew, knownBefore, holdout.size());
            HoldoutMetrics candidateMetrics = evaluator.evaluate(
                    candidate,
                    holdout,
                    trie,
                    catalog.mix(modelConfig.sidLength(), exactlyTrained::contains, novelShare),
                    coldVideos);
            HoldoutMetrics servingMetrics = null;
            if (published.isPresent() && !fromScratch) {
                // the serving model as the node runs it: its own trained set and the novel share it was published with
                Set<String> servingTrained =
                        CheckpointLayout.readTrainedVideos(published.get()).orElse(knownBefore);
                Double servingShare = published.get().meta().metrics().get(NOVEL_SHARE);
                try (SidRecModel serving = loadModel(published.get(), codebook)) {
                    servingMetrics = evaluator.evaluate(
                            serving,
                            holdout,
                            trie,
                            catalog.mix(
                                    modelConfig.sidLength(),
                                    servingTrained::contains,
                                    servingShare != null
                                            ? servingShare
                                            : NoveltyShares.since(trainNew, servingTrained)),
                            coldVideos);
                }
            }
            abandonIfStopping("evaluation");
            Gate.Decision decision = new Gate(config.cycle().gateTolerance())
                    .decide(candidateMetrics, Optional.ofNullable(servingMetrics));

            List<TrainingExample> nextReservoir = updateReservoir(replayReservoir, trainNew);
            String version = store.nextVersion();
            CycleResult result = new CycleResult(
                    version,
                    trigger,
                    read.examples().size(),
                    trainNew.size(),
                    replay.size(),
                    holdout.size(),
                    dropped,
                    stats.steps(),
                    stats.seconds(),
                    fromScratch,
                    candidateMetrics,
                    servingMetrics,
                    decision.publish(),
                    decision.reason());
            Map<String, Double> metrics = new LinkedHashMap<>(candidateMetrics.asMap(""));
            if (servingMetrics != null) {
                metrics.putAll(servingMetrics.asMap("serving_"));
            }
            metrics.put("train_loss", Double.isFinite(stats.lastLoss()) ? stats.lastLoss() : -1);
            metrics.put(NOVEL_SHARE, novelShare);
            long watermark = fresh.isEmpty()
                    ? latest.map(c -> c.meta().watermarkMillis()).orElse(0L)
                    : fresh.get(fresh.size() - 1).getEventTime().toEpochMilli();
            CheckpointMeta meta = new CheckpointMeta(
                    version,
                    codebook,
                    System.currentTimeMillis(),
                    watermark,
                    read.nextOffsets(),
                    metrics,
                    decision.publish(),
                    warmFrom.map(p -> p.meta().version()).orElse(null));
            Map<String, List<OfflineTableFile.Entry>> offline = decision.publish()
                    ? OfflineTable.compute(
                            candidate,
                            trie,
                            OfflineTable.mostEngaged(trainSet, offlineTable.videos()),
                            offlineTable,
                            watermark)
                    : Map.of();
            abandonIfStopping("the offline table");
            Map<String, CheckpointStore.FileWriter> files = new LinkedHashMap<>();
            if (decision.publish()) {
                files.put(OFFLINE_TABLE, out -> OfflineTableFile.write(offline, out));
            }
            files.put(PARAMETERS, out -> CheckpointLayout.writeParameters(candidate, out));
            files.put(MODEL_JSON, out -> CheckpointLayout.writeModelConfig(modelConfig, out));
            files.put(REPLAY, out -> ExampleFiles.write(nextReservoir, out));
            files.put(HOLDOUT, out -> ExampleFiles.write(holdout, out));
            files.put(VIDEOS, catalog::write);
            files.put(TRAINED_VIDEOS, out -> CheckpointLayout.writeTrainedVideos(exactlyTrained, out));
            files.put(CYCLE_RESULT, out -> out.write(JSON.writeValueAsBytes(result)));
            store.write(meta, files);
            LOG.info(
                    "cycle {} ({}): {} new, trained {} + {} replay in {} steps / {} s{}, holdout {}: R@10 {} vs serving {}; {} ({})",
                    version,
                    trigger,
                    read.examples().size(),
                    trainNew.size(),
                    replay.size(),
                    stats.steps(),
                    String.format("%.1f", stats.seconds()),
                    fromScratch ? " from scratch" : "",
                    holdout.size(),
                    candidateMetrics.recallAt10(),
                    servingMetrics == null ? "-" : servingMetrics.recallAt10(),
                    decision.publish() ? "published" : "NOT published",
                    decision.reason());
            hooks.committed(result, trainNew, holdout);
            TrainerMetrics.committed(result, stats.lastLoss(), (System.nanoTime() - started) / 1e9);
            return result;
        }
    }

    /**
     * A stop interrupts the cycle's thread (training checks it every step): the cycle ends before anything is written,
     * its examples unconsumed for the next one.
     */
    private static void abandonIfStopping(String phase) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CycleAbandonedException("the trainer is stopping: cycle abandoned after " + phase
                    + ", nothing written; its examples stay unconsumed for the next cycle");
        }
    }

    private List<TrainingExample> sample(List<TrainingExample> from, int count) {
        List<TrainingExample> copy = new ArrayList<>(from);
        java.util.Collections.shuffle(copy, random);
        return copy.subList(0, count);
    }

    /** Keeps at most {@code replay-reservoir} examples, evicting at random so old and new stay mixed. */
    private List<TrainingExample> updateReservoir(List<TrainingExample> reservoir, List<TrainingExample> added) {
        List<TrainingExample> next = new ArrayList<>(reservoir);
        int cap = config.cycle().replayReservoir();
        for (TrainingExample e : added) {
            if (next.size() < cap) {
                next.add(e);
            } else if (cap > 0) {
                next.set(random.nextInt(cap), e);
            }
        }
        return next;
    }

    private SidRecModel loadModel(StoredCheckpoint checkpoint, String codebook) {
        return CheckpointLayout.loadModel(checkpoint, config.model(), codebook, device);
    }

    private static VideoCatalog readCatalog(StoredCheckpoint checkpoint) {
        if (!checkpoint.has(VIDEOS)) {
            return new VideoCatalog();
        }
        try (InputStream in = checkpoint.open(VIDEOS)) {
            return VideoCatalog.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read " + VIDEOS + " of " + checkpoint.meta().version(), e);
        }
    }
}
