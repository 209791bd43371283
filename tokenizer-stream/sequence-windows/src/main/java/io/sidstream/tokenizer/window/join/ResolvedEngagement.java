package io.sidstream.tokenizer.window.join;

import io.sidstream.schemas.Engagement;
import java.util.Arrays;
import java.util.Objects;

/** An engagement with the SID its video had when it was joined (a Flink POJO: public fields, no-arg constructor). */
public class ResolvedEngagement {

    public Engagement engagement;
    /** Codes of the video's SID, collision token last. */
    public int[] sid;

    public String codebookVersion;

    public ResolvedEngagement() {}

    public ResolvedEngagement(Engagement engagement, int[] sid, String codebookVersion) {
        this.engagement = engagement;
        this.sid = sid;
        this.codebookVersion = codebookVersion;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResolvedEngagement other
                && Objects.equals(engagement, other.engagement)
                && Arrays.equals(sid, other.sid)
                && Objects.equals(codebookVersion, other.codebookVersion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(engagement, Arrays.hashCode(sid), codebookVersion);
    }

    @Override
    public String toString() {
        return engagement.getEventId() + "->" + Arrays.toString(sid) + "@" + codebookVersion;
    }
}
