package io.sidstream.tokenizer.window.join;

import io.sidstream.schemas.Engagement;

/** An engagement waiting for its video's SID, and the processing time at which it gives up (a Flink POJO). */
public class PendingEngagement {

    public Engagement engagement;
    public long deadline;

    public PendingEngagement() {
    }

    public PendingEngagement(Engagement engagement, long deadline) {
        this.engagement = engagement;
        this.deadline = deadline;
    }
}
