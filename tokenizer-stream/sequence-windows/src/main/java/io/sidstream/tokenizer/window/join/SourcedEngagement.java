package io.sidstream.tokenizer.window.join;

import io.sidstream.schemas.Engagement;
import java.util.Objects;

/**
 * An engagement and where the job read it: its partition and offset on the engagements topic, so a dead letter made
 * for it minutes later (late, unresolved, removed video) can name the record, as one made at decoding does. Both are
 * null when the position is unknown (an engagement that did not come from a Kafka source).
 */
public class SourcedEngagement {

    public Engagement engagement;
    public Integer partition;
    public Long offset;

    public SourcedEngagement() {}

    public SourcedEngagement(Engagement engagement, Integer partition, Long offset) {
        this.engagement = engagement;
        this.partition = partition;
        this.offset = offset;
    }

    /** An engagement whose Kafka position is not known. */
    public static SourcedEngagement unplaced(Engagement engagement) {
        return new SourcedEngagement(engagement, null, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourcedEngagement other
                && Objects.equals(engagement, other.engagement)
                && Objects.equals(partition, other.partition)
                && Objects.equals(offset, other.offset);
    }

    @Override
    public int hashCode() {
        return Objects.hash(engagement, partition, offset);
    }

    @Override
    public String toString() {
        return engagement.getEventId() + (partition == null ? "@?" : "@" + partition + ":" + offset);
    }
}
