package io.sidstream.ingest.world;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What the world knows and the platform must learn: each video's topic and subtopic, each user's current topic
 * preferences and favourite subtopics. Tests use it to check that SIDs follow topics and that a trained model
 * beats popularity. Videos older than the catalog's capacity are forgotten (the stream's memory stays bounded).
 */
public final class GroundTruth {

    private final ContentModel content;
    private final UserModel users;
    private final VideoCatalog catalog;

    GroundTruth(ContentModel content, UserModel users, VideoCatalog catalog) {
        this.content = content;
        this.users = users;
        this.catalog = catalog;
    }

    public int topics() {
        return content.topics();
    }

    public int subtopicsPerTopic() {
        return content.subtopics();
    }

    public int users() {
        return users.users();
    }

    public OptionalInt topicOf(String videoId) {
        int n = SyntheticWorld.videoNumber(videoId);
        return catalog.known(n) ? OptionalInt.of(catalog.topic(n)) : OptionalInt.empty();
    }

    public OptionalInt subtopicOf(String videoId) {
        int n = SyntheticWorld.videoNumber(videoId);
        return catalog.known(n) ? OptionalInt.of(catalog.subtopic(n)) : OptionalInt.empty();
    }

    /** The user's current topic weights (summing to one), heaviest first. */
    public Map<Integer, Double> preferences(String userId) {
        return users.preferences(SyntheticWorld.userNumber(userId));
    }

    /** The user's favourite subtopic within a topic, empty when the topic is not one of theirs. */
    public OptionalInt favouriteSubtopic(String userId, int topic) {
        int s = users.favouriteSubtopic(SyntheticWorld.userNumber(userId), topic);
        return s < 0 ? OptionalInt.empty() : OptionalInt.of(s);
    }

    public List<String> topicWords(int topic) {
        return content.topicWords(topic);
    }

    /** The unit centroid of a topic's content embeddings. */
    public float[] topicCentroid(int topic) {
        return content.topicCentroid(topic);
    }
}
