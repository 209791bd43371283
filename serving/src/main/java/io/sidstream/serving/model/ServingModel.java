package io.sidstream.serving.model;

import java.time.Instant;
import java.util.List;

/**
 * A loaded model as the serving node uses it. Implementations decode with beam search constrained to the valid SIDs
 * of their codebook version, and fall back to the checkpoint's offline table when a request has no history.
 */
public interface ServingModel extends AutoCloseable {

    Info info();

    /** The top {@code k} videos for a query; never a video that is not servable now. */
    Result recommend(Query query, int k, int beamWidth);

    /** Frees native memory; called once no request uses the model any more. */
    @Override
    void close();

    record Info(String modelName, long version, String codebookVersion, Instant publishedTime) {}

    /** What a request knows: the user's recent videos (oldest first) and where and how they are watching. */
    record Query(List<String> history, String surface, String device, String country, String contextVideoId) {
        public Query {
            history = List.copyOf(history);
        }
    }

    record Scored(String videoId, double score) {}

    /** The answer and where it came from ({@code model}, {@code fallback} or {@code popular}). */
    record Result(List<Scored> items, String source) {
        public Result {
            items = List.copyOf(items);
        }
    }
}
