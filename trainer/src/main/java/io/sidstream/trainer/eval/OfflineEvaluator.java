package io.sidstream.trainer.eval;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.trainer.data.Examples;
import io.sidstream.trainer.model.ModelConfig;
import io.sidstream.trainer.model.SidRecModel;
import io.sidstream.trainer.train.Budget;
import io.sidstream.trainer.train.ModelTrainer;
import io.sidstream.trainer.train.TrainStats;
import io.sidstream.trainer.train.TrainingSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sidstream eval}: leave-one-out with full ranking over all items and seen items filtered, for the model and,
 * from the same split and the same metric code, the popularity and co-occurrence baselines.
 */
public final class OfflineEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(OfflineEvaluator.class);
    static final String CODEBOOK = "offline";

    private final ModelConfig modelConfig;
    private final TrainingSettings training;
    private final Budget budget;
    private final Device device;
    private final int beamWidth;

    public OfflineEvaluator(ModelConfig modelConfig, TrainingSettings training, Budget budget, Device device, int beamWidth) {
        this.modelConfig = modelConfig;
        this.training = training;
        this.budget = budget;
        this.device = device;
        this.beamWidth = beamWidth;
    }

    /** What one run measured. */
    public record Report(RankingMetrics model, RankingMetrics popularity, RankingMetrics cooccurrence, int users,
                         int items, TrainStats training) {
    }

    public Report run(List<Interaction> interactions, Map<String, List<Integer>> sids) {
        LeaveOneOut split = LeaveOneOut.split(interactions);
        Set<String> items = new HashSet<>();
        interactions.forEach(i -> items.add(i.videoId()));
        List<TrainingExample> examples = new ArrayList<>();
        split.train().forEach((user, seq) -> examples.addAll(
                Examples.fromSequence(user, seq, modelConfig.maxHistory(), sids, CODEBOOK)));
        Engine.getInstance().setRandomSeed((int) training.seed());
        try (SidRecModel model = SidRecModel.create(modelConfig, CODEBOOK, device);
             ModelTrainer trainer = new ModelTrainer(model, training)) {
            TrainStats stats = trainer.train(examples, budget);
            LOG.info("trained on {} examples from {} users: {} steps, {} s, loss {}", examples.size(),
                    split.train().size(), stats.steps(), stats.seconds(), stats.lastLoss());
            ModelRanker modelRanker = new ModelRanker(model, ModelRanker.trieOf(sids, modelConfig.sidLength()), sids,
                    beamWidth, true);
            return new Report(evaluate(modelRanker, split.test()),
                    evaluate(new PopularityRanker(split.train().values()), split.test()),
                    evaluate(new CooccurrenceRanker(split.train().values()), split.test()),
                    split.test().size(), items.size(), stats);
        }
    }

    public static RankingMetrics evaluate(Ranker ranker, List<EvalCase> cases) {
        RankingMetrics metrics = new RankingMetrics();
        List<List<String>> ranked = ranker.rank(cases, 10);
        for (int i = 0; i < cases.size(); i++) {
            metrics.add(ranked.get(i), cases.get(i).target().videoId());
        }
        return metrics;
    }
}
