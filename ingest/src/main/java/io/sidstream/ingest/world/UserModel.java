package io.sidstream.ingest.world;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Users: each prefers one to three topics (weights summing to one) and, within each, one favourite subtopic; how
 * active a user is follows a heavy-tailed distribution. Preferences drift: now and then part of a user's weight moves
 * to a topic they did not care about, which is what the continuous trainer must follow.
 */
final class UserModel {

    private static final int MAX_TOPICS = 4;
    private static final double DRIFT_AMOUNT = 0.3;

    private final int topics;
    private final int subtopics;
    private final int[][] userTopics;
    private final double[][] userWeights;
    private final int[][] favouriteSubtopics;
    private final double[] cumulativeActivity;
    private final int[] mainDevice;
    private final String[] country;
    private final int[] lastWatched;

    UserModel(int users, int topics, int subtopics, Random random) {
        this.topics = topics;
        this.subtopics = subtopics;
        userTopics = new int[users][];
        userWeights = new double[users][];
        favouriteSubtopics = new int[users][];
        cumulativeActivity = new double[users];
        mainDevice = new int[users];
        country = new String[users];
        lastWatched = new int[users];
        String[] countries = {"US", "US", "US", "IN", "BR", "GB", "DE", "FR", "JP", "MX", "ID", "CA"};
        double total = 0;
        for (int u = 0; u < users; u++) {
            double r = random.nextDouble();
            int k = r < 0.3 ? 1 : r < 0.75 ? 2 : 3;
            userTopics[u] = new int[k];
            userWeights[u] = new double[k];
            favouriteSubtopics[u] = new int[k];
            double sum = 0;
            for (int i = 0; i < k; i++) {
                int topic;
                do {
                    topic = random.nextInt(topics);
                } while (contains(userTopics[u], i, topic));
                userTopics[u][i] = topic;
                userWeights[u][i] = -Math.log(1 - random.nextDouble()) + 0.2;
                favouriteSubtopics[u][i] = random.nextInt(subtopics);
                sum += userWeights[u][i];
            }
            for (int i = 0; i < k; i++) {
                userWeights[u][i] /= sum;
            }
            total += Math.exp(random.nextGaussian() * 1.0);
            cumulativeActivity[u] = total;
            double d = random.nextDouble();
            mainDevice[u] = d < 0.55 ? 0 : d < 0.8 ? 1 : d < 0.9 ? 3 : 2;
            country[u] = countries[random.nextInt(countries.length)];
            lastWatched[u] = -1;
        }
    }

    int users() {
        return userTopics.length;
    }

    /** A user, more active ones more often. */
    int sampleUser(Random random) {
        double target = random.nextDouble() * cumulativeActivity[cumulativeActivity.length - 1];
        int i = Arrays.binarySearch(cumulativeActivity, target);
        return Math.min(i >= 0 ? i : -i - 1, cumulativeActivity.length - 1);
    }

    /** A topic from the user's preferences. */
    int sampleTopic(int user, Random random) {
        double r = random.nextDouble();
        double[] w = userWeights[user];
        for (int i = 0; i < w.length; i++) {
            r -= w[i];
            if (r <= 0) {
                return userTopics[user][i];
            }
        }
        return userTopics[user][w.length - 1];
    }

    double weight(int user, int topic) {
        for (int i = 0; i < userTopics[user].length; i++) {
            if (userTopics[user][i] == topic) {
                return userWeights[user][i];
            }
        }
        return 0;
    }

    /** The user's favourite subtopic of a topic, or -1 when the topic is not one of theirs. */
    int favouriteSubtopic(int user, int topic) {
        for (int i = 0; i < userTopics[user].length; i++) {
            if (userTopics[user][i] == topic) {
                return favouriteSubtopics[user][i];
            }
        }
        return -1;
    }

    void drift(int user, Random random) {
        int[] ts = userTopics[user];
        double[] ws = userWeights[user];
        int from = random.nextInt(ts.length);
        int to;
        do {
            to = random.nextInt(topics);
        } while (topics > ts.length && contains(ts, ts.length, to));
        double moved = ws[from] * DRIFT_AMOUNT;
        ws[from] -= moved;
        int existing = indexOf(ts, to);
        if (existing >= 0) {
            ws[existing] += moved;
            return;
        }
        if (ts.length < MAX_TOPICS) {
            userTopics[user] = Arrays.copyOf(ts, ts.length + 1);
            userWeights[user] = Arrays.copyOf(ws, ws.length + 1);
            favouriteSubtopics[user] = Arrays.copyOf(favouriteSubtopics[user], ts.length + 1);
            userTopics[user][ts.length] = to;
            userWeights[user][ts.length] = moved;
            favouriteSubtopics[user][ts.length] = random.nextInt(subtopics);
        } else {
            // replace the weakest preference: its weight goes to the new topic too
            int weakest = 0;
            for (int i = 1; i < ws.length; i++) {
                if (ws[i] < ws[weakest]) {
                    weakest = i;
                }
            }
            ws[weakest] += moved;
            ts[weakest] = to;
            favouriteSubtopics[user][weakest] = random.nextInt(subtopics);
        }
    }

    int device(int user, Random random) {
        return random.nextDouble() < 0.8 ? mainDevice[user] : random.nextInt(4);
    }

    String country(int user) {
        return country[user];
    }

    int lastWatched(int user) {
        return lastWatched[user];
    }

    void watched(int user, int video) {
        lastWatched[user] = video;
    }

    /** The user's current topic weights, heaviest first. */
    Map<Integer, Double> preferences(int user) {
        Integer[] order = new Integer[userTopics[user].length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(userWeights[user][b], userWeights[user][a]));
        Map<Integer, Double> out = new LinkedHashMap<>();
        for (int i : order) {
            out.put(userTopics[user][i], userWeights[user][i]);
        }
        return out;
    }

    private static boolean contains(int[] values, int length, int value) {
        for (int i = 0; i < length; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
