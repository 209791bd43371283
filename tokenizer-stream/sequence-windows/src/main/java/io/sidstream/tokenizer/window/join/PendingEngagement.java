package io.sidstream.tokenizer.window.join;

import io.sidstream.schemas.Engagement;

/**
 * An engagement waiting for its video's SID, where it was read from Kafka, and the processing time at which it gives
 * up (a Flink POJO, kept in the join's keyed state).
 *
 * <p>{@code partition} and {@code offset} came after the first release: state written before them restores with
 * both null (Flink's POJO serializer migrates state to a class with added fields, filling what the old state lacks
 * with the field's default), and null reads as "position unknown", never as a made-up position. They are nullable
 * objects rather than primitives with a sentinel for that reason; renaming or removing a field would break restores.
 */
public class PendingEngagement {

    public Engagement engagement;
    public long deadline;
    public Integer partition;
    public Long offset;

    public PendingEngagement() {}

    public PendingEngagement(SourcedEngagement sourced, long deadline) {
        this.engagement = sourced.engagement;
        this.deadline = deadline;
        this.partition = sourced.partition;
        this.offset = sourced.offset;
    }

    public SourcedEngagement sourced() {
        return new SourcedEngagement(engagement, partition, offset);
    }
}
