package io.sidstream.core.topic;

/** What {@link TopicAdmin#ensure} found or did for one topic. */
public record TopicStatus(String topic, State state, String detail) {

    /** Outcome for one topic. */
    public enum State {
        CREATED,
        EXISTS,
        MISMATCH
    }

    @Override
    public String toString() {
        return String.format("%-28s %-8s %s", topic, state, detail);
    }
}
