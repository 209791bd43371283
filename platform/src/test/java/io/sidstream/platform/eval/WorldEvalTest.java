package io.sidstream.platform.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import io.sidstream.ingest.world.WorldConfig;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.schemas.EventType;
import io.sidstream.tokenizer.codebook.KMeansOptions;
import io.sidstream.tokenizer.window.PositiveRule;
import io.sidstream.trainer.eval.Interaction;
import io.sidstream.trainer.eval.OfflineEvaluator;
import io.sidstream.trainer.eval.PrequentialRunner;
import io.sidstream.trainer.eval.RankingMetrics;
import io.sidstream.trainer.train.Budget;
import io.sidstream.trainer.train.TrainingSettings;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorldEvalTest {

    private static final PositiveRule RULE = new PositiveRule(0.5, Set.of(EventType.LIKE, EventType.SHARE));
    /** 3 x 32 codes: a few hundred videos cannot fill 256 codes per level. */
    private static final KMeansOptions CODEBOOK = new KMeansOptions(3, 32, 10, 42, true, 1.5);

    private static final ModelConfig MODEL =
            new ModelConfig(3, 32, 64, 64, 2, 2, 128, 20, 16, 8, 16, 1, 0.5, 0, 0, 0.0, 0, false, 0, 0);

    private static WorldConfig smallWorld() {
        return WorldConfig.defaults().withSeed(7).withSize(8, 200, 400, 600);
    }

    @Test
    void datasetHasUniqueSidsAndOnlyPositivesOfKnownVideos() {
        WorldDataset data = WorldDataset.generate(smallWorld(), 20_000, CODEBOOK, 64, RULE);

        assertThat(data.sids()).isNotEmpty();
        assertThat(new HashSet<>(data.sids().values()))
                .hasSameSizeAs(data.sids().values());
        assertThat(data.sids().values()).allSatisfy(codes -> {
            assertThat(codes).hasSize(4);
            assertThat(codes.subList(0, 3)).allSatisfy(c -> assertThat(c).isBetween(0, 31));
            assertThat(codes.get(3)).isBetween(0, 63);
        });
        assertThat(data.interactions()).allSatisfy(i -> assertThat(data.sids()).containsKey(i.videoId()));
        Set<String> pairs = new HashSet<>();
        for (Interaction i : data.interactions()) {
            assertThat(pairs.add(i.userId() + "/" + i.videoId()))
                    .as("one interaction per user and video")
                    .isTrue();
        }
        assertThat(data.duplicates())
                .as("the world repeats about 1% of event ids on purpose")
                .isPositive();
        assertThat(data.positives())
                .isGreaterThanOrEqualTo(data.interactions().size())
                .isLessThan(data.engagements() - data.duplicates());
        assertThat(data.videosWithoutEmbedding())
                .as("10% of uploads carry no embedding by default")
                .isPositive();
        // same seed, same dataset
        assertThat(WorldDataset.generate(smallWorld(), 20_000, CODEBOOK, 64, RULE)
                        .interactions())
                .isEqualTo(data.interactions());
    }

    @Test
    void modelBeatsPopularityOnTheSmallWorld() {
        WorldDataset data = WorldDataset.generate(
                smallWorld().withSize(8, 300, 700, 800), 70_000, CODEBOOK, MODEL.collisions(), RULE);

        OfflineEvaluator.Report report = new OfflineEvaluator(
                        MODEL, new TrainingSettings(32, 2e-3f, 1f, 7), Budget.steps(800), Device.cpu(), 20)
                .run(data.interactions(), data.sids());

        System.out.println("interactions " + data.interactions().size() + " users " + report.users() + " items "
                + report.items() + "\nmodel " + report.model() + "\npopularity " + report.popularity()
                + "\ncooccurrence " + report.cooccurrence() + "\ntraining " + report.training());
        assertThat(report.users()).isGreaterThan(100);
        assertThat(report.model().recallAt10())
                .isGreaterThan(2 * report.popularity().recallAt10());
        assertThat(report.model().ndcgAt10())
                .isGreaterThan(2 * report.popularity().ndcgAt10());
    }

    @Test
    void freshUploadsAreRecommendedAtLeastHalfAsWellAsOlderVideos() {
        WorldDataset data = WorldDataset.generate(
                smallWorld().withSize(8, 300, 700, 800), 60_000, CODEBOOK, MODEL.collisions(), RULE);

        List<PrequentialRunner.CycleFigures> figures = new PrequentialRunner(
                        MODEL,
                        new TrainingSettings(32, 2e-3f, 1f, 7),
                        Budget.steps(200),
                        Device.cpu(),
                        20,
                        500,
                        data.uploadMillis(),
                        true)
                .run(data.interactions(), data.sids(), 4);

        RankingMetrics cold = new RankingMetrics();
        RankingMetrics warm = new RankingMetrics();
        figures.forEach(f -> {
            System.out.println("cycle " + f.cycle() + " cold " + f.continuousCold() + " warm " + f.continuousWarm());
            cold.addAll(f.continuousCold());
            warm.addAll(f.continuousWarm());
        });
        assertThat(cold.cases())
                .as("cases whose video was first engaged in their window")
                .isGreaterThan(50);
        assertThat(warm.recallAt10()).isPositive();
        assertThat(cold.recallAt10()).isPositive().isGreaterThanOrEqualTo(0.5 * warm.recallAt10());
    }

    @Test
    void commandEndsWithTheEvalJsonLine() throws Exception {
        String[] world = {
            "--users",
            "300",
            "--videos",
            "400",
            "--topics",
            "8",
            "--creators",
            "100",
            "--engagements",
            "15000",
            "--codes",
            "16",
            "--max-steps",
            "20",
            "--set",
            "trainer.device=cpu"
        };
        JsonNode loo = CommandOutput.lastJsonLine(run(world));
        assertThat(loo.get("benchmark").asText()).isEqualTo("eval-world");
        for (String prefix : List.of("", "popularity_", "cooccurrence_")) {
            for (String metric : List.of("recall_at_5", "recall_at_10", "ndcg_at_5", "ndcg_at_10")) {
                assertThat(loo.get(prefix + metric).asDouble())
                        .as(prefix + metric)
                        .isBetween(0.0, 1.0);
            }
        }
        assertThat(loo.get("users").asInt()).isGreaterThan(50);
        assertThat(loo.get("items").asInt()).isGreaterThan(100);

        String[] prequential = java.util.stream.Stream.concat(
                        java.util.Arrays.stream(world),
                        java.util.stream.Stream.of("--prequential", "--cycles", "3", "--max-cases", "100"))
                .toArray(String[]::new);
        String out = run(prequential);
        List<JsonNode> lines = out.lines()
                .filter(l -> l.startsWith("{"))
                .map(CommandOutput::json)
                .toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.subList(0, 2)).extracting(l -> l.get("cycle").asInt()).containsExactly(1, 2);
        JsonNode last = lines.get(2);
        assertThat(last.get("continuous_recall_at_10").asDouble()).isBetween(0.0, 1.0);
        assertThat(last.get("frozen_recall_at_10").asDouble()).isBetween(0.0, 1.0);
        assertThat(last.get("cold_cases").asInt()).isPositive();
    }

    private static String run(String... args) {
        return CommandOutput.run(new WorldEvalCommand(), args);
    }
}
