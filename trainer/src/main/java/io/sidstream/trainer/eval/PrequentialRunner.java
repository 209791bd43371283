package io.sidstream.trainer.eval;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.model.decode.NoveltyMix;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.trainer.data.Examples;
import io.sidstream.trainer.train.Budget;
import io.sidstream.trainer.train.ModelTrainer;
import io.sidstream.trainer.train.TrainingSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * {@code sidstream eval --prequential}: replays interactions in time order cut into equal time windows. The first
 * window trains both models; from then on each window is first predicted (every interaction from its user's earlier
 * history, constrained to the videos seen so far), then used to train the continuous model further, while the frozen
 * model stays as it was after the first window.
 *
 * <p>The videos a window is predicted over are those uploaded before the window ends, every video whose upload time
 * is not given, and those engaged with up to then: never only the ones the window will engage with, which would tell
 * the model its answers. With the novelty mix on, each model decodes the mixture of the videos it trained
 * on and the others, the novel share being what the last window showed: the share of its engagements on videos the
 * model (as it then was) had not trained on; the first window's is its second half against its first.
 */
public final class PrequentialRunner {

    private final ModelConfig modelConfig;
    private final TrainingSettings training;
    private final Budget budgetPerCycle;
    private final Device device;
    private final int beamWidth;
    private final int maxCasesPerCycle;
    private final Map<String, Long> uploadMillis;
    private final boolean noveltyMix;

    public PrequentialRunner(
            ModelConfig modelConfig,
            TrainingSettings training,
            Budget budgetPerCycle,
            Device device,
            int beamWidth,
            int maxCasesPerCycle) {
        this(modelConfig, training, budgetPerCycle, device, beamWidth, maxCasesPerCycle, Map.of(), true);
    }

    /**
     * @param uploadMillis upload time per video, where known: a video is a candidate from the window it was uploaded
     *                     in, else from the start
     * @param noveltyMix   decode the mixture of trained and novel videos ({@link NoveltyMix}) instead of one trie
     */
    public PrequentialRunner(
            ModelConfig modelConfig,
            TrainingSettings training,
            Budget budgetPerCycle,
            Device device,
            int beamWidth,
            int maxCasesPerCycle,
            Map<String, Long> uploadMillis,
            boolean noveltyMix) {
        this.uploadMillis = uploadMillis;
        this.noveltyMix = noveltyMix;
        this.modelConfig = modelConfig;
        this.training = training;
        this.budgetPerCycle = budgetPerCycle;
        this.device = device;
        this.beamWidth = beamWidth;
        this.maxCasesPerCycle = maxCasesPerCycle;
    }

    /**
     * Figures of one window, predicted before training on it: on every case, on the cases whose video was first
     * engaged in this window (cold) and on the others (warm).
     */
    public record CycleFigures(
            int cycle,
            RankingMetrics continuous,
            RankingMetrics frozen,
            RankingMetrics continuousCold,
            RankingMetrics frozenCold,
            RankingMetrics continuousWarm,
            RankingMetrics frozenWarm) {}

    public List<CycleFigures> run(List<Interaction> interactions, Map<String, List<Integer>> sids, int cycles) {
        if (cycles < 2) {
            throw new IllegalArgumentException("a prequential run needs at least 2 cycles, got " + cycles);
        }
        List<Interaction> ordered = new ArrayList<>(interactions);
        ordered.sort(Comparator.comparingLong(Interaction::timeMillis));
        long start = ordered.get(0).timeMillis();
        long span = ordered.get(ordered.size() - 1).timeMillis() - start + 1;
        List<List<Interaction>> windows = new ArrayList<>();
        for (int c = 0; c < cycles; c++) {
            windows.add(new ArrayList<>());
        }
        for (Interaction i : ordered) {
            windows.get((int) Math.min(cycles - 1, (i.timeMillis() - start) * cycles / span))
                    .add(i);
        }
        Random random = new Random(training.seed());
        Map<String, List<Interaction>> histories = new HashMap<>();
        Set<String> seenVideos = new HashSet<>();
        Set<String> firstWindowVideos = new HashSet<>();
        Map<String, List<Integer>> liveSids = new LinkedHashMap<>();
        List<Map.Entry<String, Long>> uploads = new ArrayList<>();
        sids.keySet().forEach(v -> uploads.add(Map.entry(v, uploadMillis.getOrDefault(v, Long.MIN_VALUE))));
        uploads.sort(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
        int uploaded = 0;
        double continuousNovelShare = 0;
        double frozenNovelShare = 0;
        List<CycleFigures> figures = new ArrayList<>();
        Engine.getInstance().setRandomSeed((int) training.seed());
        Path frozenParameters = null;
        try (SidRecModel continuous = SidRecModel.create(modelConfig, "prequential", device);
                ModelTrainer trainer = new ModelTrainer(continuous, training)) {
            for (int c = 0; c < cycles; c++) {
                List<Interaction> window = windows.get(c);
                long windowEnd = start + (c + 1) * span / cycles;
                for (; uploaded < uploads.size() && uploads.get(uploaded).getValue() < windowEnd; uploaded++) {
                    String video = uploads.get(uploaded).getKey();
                    liveSids.put(video, sids.get(video));
                }
                window.forEach(i -> liveSids.put(i.videoId(), sids.get(i.videoId())));
                if (c > 0) {
                    List<EvalCase> cases = cases(window, histories, random);
                    Set<String> cold = new HashSet<>();
                    window.forEach(i -> {
                        if (!seenVideos.contains(i.videoId())) {
                            cold.add(i.videoId());
                        }
                    });
                    try (SidRecModel frozen = SidRecModel.load(modelConfig, "prequential", device, frozenParameters)) {
                        RankingMetrics[] cont =
                                score(ranker(continuous, liveSids, seenVideos, continuousNovelShare), cases, cold);
                        RankingMetrics[] froz =
                                score(ranker(frozen, liveSids, firstWindowVideos, frozenNovelShare), cases, cold);
                        figures.add(new CycleFigures(c, cont[0], froz[0], cont[1], froz[1], cont[2], froz[2]));
                    }
                }
                List<TrainingExample> examples = new ArrayList<>();
                Map<String, List<Interaction>> byUser = new LinkedHashMap<>();
                window.forEach(i -> byUser.computeIfAbsent(i.userId(), u -> new ArrayList<>())
                        .add(i));
                byUser.forEach((user, events) -> {
                    List<Interaction> history = histories.computeIfAbsent(user, u -> new ArrayList<>());
                    history.addAll(events);
                    List<Interaction> tail =
                            history.subList(Math.max(0, history.size() - modelConfig.maxHistory() - 1), history.size());
                    if (tail.size() >= 2) {
                        examples.add(Examples.example(
                                user,
                                List.copyOf(tail.subList(0, tail.size() - 1)),
                                tail.get(tail.size() - 1),
                                sids,
                                "prequential"));
                    }
                });
                List<String> targets = window.stream().map(Interaction::videoId).toList();
                if (c == 0) {
                    continuousNovelShare = firstWindowNovelShare(window);
                    frozenNovelShare = continuousNovelShare;
                    firstWindowVideos.addAll(targets);
                } else {
                    continuousNovelShare = NoveltyMix.observedShare(targets, seenVideos::contains);
                    frozenNovelShare = NoveltyMix.observedShare(targets, firstWindowVideos::contains);
                }
                seenVideos.addAll(targets);
                if (modelConfig.needsCatalog()) {
                    trainer.withCatalog(ModelRanker.trieOf(liveSids, modelConfig.sidLength()));
                }
                trainer.countTransitions(examples, false).train(examples, budgetPerCycle);
                if (c == 0) {
                    frozenParameters = Files.createTempFile("sidrec-frozen", ".bin");
                    continuous.saveParameters(frozenParameters);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (frozenParameters != null) {
                try {
                    Files.deleteIfExists(frozenParameters);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
        return figures;
    }

    private Ranker ranker(SidRecModel model, Map<String, List<Integer>> live, Set<String> trained, double novelShare) {
        if (!noveltyMix) {
            return new ModelRanker(model, ModelRanker.trieOf(live, modelConfig.sidLength()), live, beamWidth, true);
        }
        return new ModelRanker(
                model,
                NoveltyMix.split(live, trained::contains, novelShare, modelConfig.sidLength()),
                live,
                beamWidth,
                true);
    }

    /** The first window has no earlier one: its second half against its first. */
    private static double firstWindowNovelShare(List<Interaction> window) {
        int half = window.size() / 2;
        Set<String> firstHalf = new HashSet<>();
        window.subList(0, half).forEach(i -> firstHalf.add(i.videoId()));
        return NoveltyMix.observedShare(
                window.subList(half, window.size()).stream()
                        .map(Interaction::videoId)
                        .toList(),
                firstHalf::contains);
    }

    /** Every interaction of the window with its user's history before it (at most {@code maxCasesPerCycle}). */
    private List<EvalCase> cases(List<Interaction> window, Map<String, List<Interaction>> histories, Random random) {
        Map<String, List<Interaction>> running = new HashMap<>();
        List<EvalCase> cases = new ArrayList<>();
        for (Interaction i : window) {
            List<Interaction> before = new ArrayList<>(histories.getOrDefault(i.userId(), List.of()));
            before.addAll(running.getOrDefault(i.userId(), List.of()));
            if (!before.isEmpty()) {
                cases.add(new EvalCase(
                        i.userId(),
                        List.copyOf(
                                before.subList(Math.max(0, before.size() - modelConfig.maxHistory()), before.size())),
                        i));
            }
            running.computeIfAbsent(i.userId(), u -> new ArrayList<>()).add(i);
        }
        Collections.shuffle(cases, random);
        return cases.subList(0, Math.min(maxCasesPerCycle, cases.size()));
    }

    private static RankingMetrics[] score(Ranker ranker, List<EvalCase> cases, Set<String> cold) {
        RankingMetrics all = new RankingMetrics();
        RankingMetrics coldOnly = new RankingMetrics();
        RankingMetrics warmOnly = new RankingMetrics();
        List<List<String>> ranked = ranker.rank(cases, 10);
        for (int i = 0; i < cases.size(); i++) {
            String target = cases.get(i).target().videoId();
            all.add(ranked.get(i), target);
            (cold.contains(target) ? coldOnly : warmOnly).add(ranked.get(i), target);
        }
        return new RankingMetrics[] {all, coldOnly, warmOnly};
    }
}
