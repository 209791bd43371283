package io.sidstream.ingest.world;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Topics and their subtopics: a vocabulary and an embedding centroid each. A video's title and description are drawn
 * from its subtopic's words (with some of the topic's and common ones), its embedding lies near its subtopic centroid,
 * which lies near its topic centroid; topic centroids are random directions, nearly orthogonal in high dimension.
 */
final class ContentModel {

    /** Subtopic centroid = topic centroid + this much of a random direction: cosine to the topic about 0.86. */
    private static final double SUBTOPIC_SPREAD = 0.6;
    /** Video embedding = subtopic centroid + this much noise: cosine to the subtopic about 0.94. */
    private static final double VIDEO_SPREAD = 0.35;

    private static final int TOPIC_WORDS = 40;
    private static final int SUBTOPIC_WORDS = 12;

    private final int topics;
    private final int subtopics;
    private final int dimension;
    private final float[][] topicCentroids;
    private final float[][][] subtopicCentroids;
    private final List<List<String>> topicWords = new ArrayList<>();
    private final List<List<List<String>>> subtopicWords = new ArrayList<>();

    ContentModel(int topics, int subtopics, int dimension, Random random) {
        this.topics = topics;
        this.subtopics = subtopics;
        this.dimension = dimension;
        Vocabulary vocabulary = new Vocabulary(random);
        topicCentroids = new float[topics][];
        subtopicCentroids = new float[topics][subtopics][];
        for (int t = 0; t < topics; t++) {
            topicCentroids[t] = unit(gaussian(random, dimension));
            List<String> words = vocabulary.words(TOPIC_WORDS);
            topicWords.add(words);
            List<List<String>> perSub = new ArrayList<>();
            for (int s = 0; s < subtopics; s++) {
                subtopicCentroids[t][s] = mix(topicCentroids[t], unit(gaussian(random, dimension)), SUBTOPIC_SPREAD);
                List<String> own = new ArrayList<>(vocabulary.words(SUBTOPIC_WORDS));
                for (int k = 0; k < SUBTOPIC_WORDS / 2; k++) {
                    own.add(words.get(random.nextInt(words.size())));
                }
                perSub.add(List.copyOf(own));
            }
            subtopicWords.add(List.copyOf(perSub));
        }
    }

    int topics() {
        return topics;
    }

    int subtopics() {
        return subtopics;
    }

    List<String> topicWords(int topic) {
        return topicWords.get(topic);
    }

    List<String> subtopicWords(int topic, int subtopic) {
        return subtopicWords.get(topic).get(subtopic);
    }

    String title(int topic, int subtopic, Random random) {
        int length = 3 + random.nextInt(4);
        StringBuilder title = new StringBuilder();
        for (int i = 0; i < length; i++) {
            if (i > 0) {
                title.append(' ');
            }
            title.append(word(topic, subtopic, random, 0.15));
        }
        title.setCharAt(0, Character.toUpperCase(title.charAt(0)));
        return title.toString();
    }

    String description(int topic, int subtopic, Random random) {
        int length = 10 + random.nextInt(20);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(word(topic, subtopic, random, 0.35));
        }
        return text.append('.').toString();
    }

    List<String> tags(int topic, int subtopic, Random random) {
        List<String> tags = new ArrayList<>();
        tags.add(topicWords.get(topic).get(0));
        List<String> sub = subtopicWords(topic, subtopic);
        int extra = 1 + random.nextInt(3);
        for (int i = 0; i < extra; i++) {
            String tag = sub.get(random.nextInt(sub.size()));
            if (!tags.contains(tag)) {
                tags.add(tag);
            }
        }
        return tags;
    }

    List<Float> embedding(int topic, int subtopic, Random random) {
        float[] v = mix(subtopicCentroids[topic][subtopic], unit(gaussian(random, dimension)), VIDEO_SPREAD);
        List<Float> out = new ArrayList<>(dimension);
        for (float f : v) {
            out.add(f);
        }
        return out;
    }

    float[] topicCentroid(int topic) {
        return topicCentroids[topic].clone();
    }

    private String word(int topic, int subtopic, Random random, double commonShare) {
        double r = random.nextDouble();
        if (r < commonShare) {
            return Vocabulary.COMMON[random.nextInt(Vocabulary.COMMON.length)];
        }
        if (r < commonShare + 0.15) {
            List<String> words = topicWords.get(topic);
            return words.get(random.nextInt(words.size()));
        }
        List<String> words = subtopicWords(topic, subtopic);
        return words.get(random.nextInt(words.size()));
    }

    private static float[] gaussian(Random random, int dimension) {
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static float[] mix(float[] base, float[] direction, double amount) {
        float[] v = new float[base.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (base[i] + amount * direction[i]);
        }
        return unit(v);
    }

    static float[] unit(float[] v) {
        double norm = 0;
        for (float f : v) {
            norm += (double) f * f;
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] / norm);
        }
        return v;
    }
}
