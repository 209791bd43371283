package io.sidstream.trainer.eval;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.trainer.data.Examples;
import io.sidstream.trainer.decode.SidTrie;
import io.sidstream.trainer.model.ModelConfig;
import io.sidstream.trainer.model.SidRecModel;
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
 */
public final class PrequentialRunner {

    private final ModelConfig modelConfig;
    private final TrainingSettings training;
    private final Budget budgetPerCycle;
    private final Device device;
    private final int beamWidth;
    private final int maxCasesPerCycle;

    public PrequentialRunner(ModelConfig modelConfig, TrainingSettings training, Budget budgetPerCycle, Device device,
                             int beamWidth, int maxCasesPerCycle) {
        this.modelConfig = modelConfig;
        this.training = training;
        this.budgetPerCycle = budgetPerCycle;
        this.device = device;
        this.beamWidth = beamWidth;
        this.maxCasesPerCycle = maxCasesPerCycle;
    }

    /** Figures of one window, predicted before training on it. */
    public record CycleFigures(int cycle, RankingMetrics continuous, RankingMetrics frozen, RankingMetrics continuousCold,
                               RankingMetrics frozenCold) {
    }

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
            windows.get((int) Math.min(cycles - 1, (i.timeMillis() - start) * cycles / span)).add(i);
        }
        Random random = new Random(training.seed());
        Map<String, List<Interaction>> histories = new HashMap<>();
        Set<String> seenVideos = new HashSet<>();
        Map<String, List<Integer>> liveSids = new LinkedHashMap<>();
        List<CycleFigures> figures = new ArrayList<>();
        Engine.getInstance().setRandomSeed((int) training.seed());
        Path frozenParameters = null;
        try (SidRecModel continuous = SidRecModel.create(modelConfig, "prequential", device);
             ModelTrainer trainer = new ModelTrainer(continuous, training)) {
            for (int c = 0; c < cycles; c++) {
                List<Interaction> window = windows.get(c);
                window.forEach(i -> liveSids.put(i.videoId(), sids.get(i.videoId())));
                if (c > 0) {
                    List<EvalCase> cases = cases(window, histories, random);
                    Set<String> cold = new HashSet<>();
                    window.forEach(i -> {
                        if (!seenVideos.contains(i.videoId())) {
                            cold.add(i.videoId());
                        }
                    });
                    SidTrie trie = ModelRanker.trieOf(liveSids, modelConfig.sidLength());
                    try (SidRecModel frozen = SidRecModel.load(modelConfig, "prequential", device, frozenParameters)) {
                        RankingMetrics[] cont = score(new ModelRanker(continuous, trie, liveSids, beamWidth, true), cases, cold);
                        RankingMetrics[] froz = score(new ModelRanker(frozen, trie, liveSids, beamWidth, true), cases, cold);
                        figures.add(new CycleFigures(c, cont[0], froz[0], cont[1], froz[1]));
                    }
                }
                List<TrainingExample> examples = new ArrayList<>();
                Map<String, List<Interaction>> byUser = new LinkedHashMap<>();
                window.forEach(i -> byUser.computeIfAbsent(i.userId(), u -> new ArrayList<>()).add(i));
                byUser.forEach((user, events) -> {
                    List<Interaction> history = histories.computeIfAbsent(user, u -> new ArrayList<>());
                    history.addAll(events);
                    List<Interaction> tail = history.subList(Math.max(0, history.size() - modelConfig.maxHistory() - 1),
                            history.size());
                    if (tail.size() >= 2) {
                        examples.add(Examples.example(user, List.copyOf(tail.subList(0, tail.size() - 1)),
                                tail.get(tail.size() - 1), sids, "prequential"));
                    }
                });
                window.forEach(i -> seenVideos.add(i.videoId()));
                trainer.train(examples, budgetPerCycle);
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

    /** Every interaction of the window with its user's history before it (at most {@code maxCasesPerCycle}). */
    private List<EvalCase> cases(List<Interaction> window, Map<String, List<Interaction>> histories, Random random) {
        Map<String, List<Interaction>> running = new HashMap<>();
        List<EvalCase> cases = new ArrayList<>();
        for (Interaction i : window) {
            List<Interaction> before = new ArrayList<>(histories.getOrDefault(i.userId(), List.of()));
            before.addAll(running.getOrDefault(i.userId(), List.of()));
            if (!before.isEmpty()) {
                cases.add(new EvalCase(i.userId(), List.copyOf(before.subList(Math.max(0, before.size()
                        - modelConfig.maxHistory()), before.size())), i));
            }
            running.computeIfAbsent(i.userId(), u -> new ArrayList<>()).add(i);
        }
        Collections.shuffle(cases, random);
        return cases.subList(0, Math.min(maxCasesPerCycle, cases.size()));
    }

    private static RankingMetrics[] score(Ranker ranker, List<EvalCase> cases, Set<String> cold) {
        RankingMetrics all = new RankingMetrics();
        RankingMetrics coldOnly = new RankingMetrics();
        List<List<String>> ranked = ranker.rank(cases, 10);
        for (int i = 0; i < cases.size(); i++) {
            String target = cases.get(i).target().videoId();
            all.add(ranked.get(i), target);
            if (cold.contains(target)) {
                coldOnly.add(ranked.get(i), target);
            }
        }
        return new RankingMetrics[] {all, coldOnly};
    }
}
