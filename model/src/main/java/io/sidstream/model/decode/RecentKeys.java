package io.sidstream.model.decode;

import io.sidstream.model.block.TransitionPrior;
import io.sidstream.model.block.WideFeatures;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.schemas.HistoryItem;
import java.util.List;

/**
 * Per query, the keys of its most recent history videos (most recent first, up to {@code wide-items} within the
 * model's reach): the wide part's, whose key holds the recency, and the transition prior's, the video alone. Null
 * arrays for a part the model does not have.
 */
public record RecentKeys(long[][] wide, long[][] sources) {

    /** The keys of {@code queries} for {@code config}'s model; null when it has neither part. */
    public static RecentKeys of(ModelConfig config, List<Query> queries) {
        int items = config.recentItems();
        if (items == 0) {
            return null;
        }
        long[][] wide = config.wideBuckets() > 0 ? new long[queries.size()][] : null;
        long[][] sources = config.transitionPrior() ? new long[queries.size()][] : null;
        for (int q = 0; q < queries.size(); q++) {
            List<HistoryItem> history = queries.get(q).history();
            int n = Math.min(items, Math.min(config.maxHistory(), history.size()));
            if (wide != null) {
                wide[q] = new long[n];
            }
            if (sources != null) {
                sources[q] = new long[n];
            }
            for (int m = 0; m < n; m++) {
                String videoId = history.get(history.size() - 1 - m).getVideoId();
                if (wide != null) {
                    wide[q][m] = WideFeatures.itemKey(m, videoId);
                }
                if (sources != null) {
                    sources[q][m] = TransitionPrior.sourceKey(videoId);
                }
            }
        }
        return new RecentKeys(wide, sources);
    }
}
