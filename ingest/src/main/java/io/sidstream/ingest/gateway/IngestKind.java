package io.sidstream.ingest.gateway;

import io.sidstream.core.topic.Topic;

/** The three kinds of events the gateway takes, each with its path, topic and the id that names an event. */
public enum IngestKind {
    UPLOADS("uploads", Topic.VIDEO_UPLOADS),
    ENGAGEMENTS("engagements", Topic.ENGAGEMENTS),
    REMOVALS("removals", Topic.VIDEO_REMOVALS);

    private final String path;
    private final Topic topic;

    IngestKind(String path, Topic topic) {
        this.path = path;
        this.topic = topic;
    }

    /** The HTTP path, {@code /v1/<kind>}. */
    public String path() {
        return "/v1/" + path;
    }

    /** The label value in metrics. */
    public String label() {
        return path;
    }

    public Topic topic() {
        return topic;
    }
}
