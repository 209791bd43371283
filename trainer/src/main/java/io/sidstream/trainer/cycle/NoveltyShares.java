package io.sidstream.trainer.cycle;

import io.sidstream.model.decode.NoveltyMix;
import io.sidstream.schemas.HistoryItem;
import io.sidstream.schemas.TrainingExample;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The novel shares a cycle decodes its holdout with ({@link NoveltyMix}), measured on the training data only, the
 * holdout being what they must predict.
 */
final class NoveltyShares {

    private NoveltyShares() {}

    /** Videos the examples train on: every history item is a target of the dense loss too. */
    static Set<String> videos(List<TrainingExample> examples) {
        Set<String> videos = new HashSet<>();
        for (TrainingExample e : examples) {
            for (HistoryItem item : e.getHistory()) {
                videos.add(item.getVideoId());
            }
            videos.add(e.getTargetVideoId());
        }
        return videos;
    }

    /**
     * For a model trained up to the end of {@code trainNew} (in event-time order): the share of the last
     * {@code period} examples' targets that neither {@code knownBefore} nor the examples before them held, the same gap
     * the holdout of that many examples has to the training data.
     */
    static double recent(List<TrainingExample> trainNew, Set<String> knownBefore, int period) {
        int from = Math.max(0, trainNew.size() - period);
        Set<String> known = new HashSet<>(knownBefore);
        known.addAll(videos(trainNew.subList(0, from)));
        return NoveltyMix.observedShare(targets(trainNew.subList(from, trainNew.size())), known::contains);
    }

    /** For a model that has seen only {@code knownBefore}: the share of the new targets it did not. */
    static double since(List<TrainingExample> trainNew, Set<String> knownBefore) {
        return NoveltyMix.observedShare(targets(trainNew), knownBefore::contains);
    }

    private static List<String> targets(List<TrainingExample> examples) {
        return examples.stream().map(TrainingExample::getTargetVideoId).toList();
    }
}
