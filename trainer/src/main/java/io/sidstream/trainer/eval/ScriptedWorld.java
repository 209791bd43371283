package io.sidstream.trainer.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A small seeded world with structure a sequence model can learn and a popularity or item-to-item baseline only
 * partly can: videos belong to topics (a topic is the first SID code, as a content-derived codebook would give
 * similar videos a shared prefix), each user walks the topics with a personal stride, and within a topic users prefer
 * fresh uploads. New videos are uploaded every period, so the world drifts and rewards models that keep learning.
 *
 * <p>This is the trainer's own scripted data for tests and demos; the synthetic world of the {@code ingest} module is
 * the richer one.
 */
public final class ScriptedWorld {

    /** Knobs of the world. {@code followProbability} is how often a user's next topic follows their stride. */
    public record Params(
            int topics,
            int initialVideosPerTopic,
            int newVideosPerTopicPerPeriod,
            int periods,
            int users,
            int eventsPerUserPerPeriod,
            double followProbability,
            int codesPerLevel,
            int levels,
            int collisions,
            long seed) {

        /** A world of the given size with the defaults the tests and the demo use. */
        public static Params small(long seed) {
            return new Params(16, 8, 2, 6, 300, 6, 0.9, 256, 3, 64, seed);
        }
    }

    public static final long PERIOD_MILLIS = 3_600_000L;

    private final List<Interaction> interactions = new ArrayList<>();
    private final Map<String, List<Integer>> sids = new HashMap<>();
    private final Map<String, Long> uploadTime = new HashMap<>();

    public ScriptedWorld(Params p) {
        Random random = new Random(p.seed());
        List<List<String>> byTopic = new ArrayList<>();
        Set<String> usedSids = new HashSet<>();
        for (int t = 0; t < p.topics(); t++) {
            byTopic.add(new ArrayList<>());
            for (int i = 0; i < p.initialVideosPerTopic(); i++) {
                upload(p, random, byTopic, usedSids, t, 0L);
            }
        }
        int[] topicOf = new int[p.users()];
        int[] strideOf = new int[p.users()];
        List<Set<String>> seen = new ArrayList<>();
        for (int u = 0; u < p.users(); u++) {
            seen.add(new HashSet<>());
            topicOf[u] = random.nextInt(p.topics());
            strideOf[u] = 1 + random.nextInt(3);
        }
        for (int period = 0; period < p.periods(); period++) {
            long start = period * PERIOD_MILLIS;
            if (period > 0) {
                for (int t = 0; t < p.topics(); t++) {
                    for (int i = 0; i < p.newVideosPerTopicPerPeriod(); i++) {
                        upload(p, random, byTopic, usedSids, t, start);
                    }
                }
            }
            List<Interaction> periodEvents = new ArrayList<>();
            for (int u = 0; u < p.users(); u++) {
                for (int e = 0; e < p.eventsPerUserPerPeriod(); e++) {
                    topicOf[u] = random.nextDouble() < p.followProbability()
                            ? (topicOf[u] + strideOf[u]) % p.topics()
                            : random.nextInt(p.topics());
                    String video = pickFresh(byTopic.get(topicOf[u]), seen.get(u), random);
                    seen.get(u).add(video);
                    long time = start + (e + 1) * (PERIOD_MILLIS / (p.eventsPerUserPerPeriod() + 1)) + u;
                    periodEvents.add(new Interaction("u" + u, video, time));
                }
            }
            periodEvents.sort((a, b) -> Long.compare(a.timeMillis(), b.timeMillis()));
            interactions.addAll(periodEvents);
        }
    }

    /** Unseen videos newest first with geometric preference: fresh uploads dominate their topic. */
    private static String pickFresh(List<String> videos, Set<String> seen, Random random) {
        List<String> unseen = new ArrayList<>();
        for (int i = videos.size() - 1; i >= 0; i--) {
            if (!seen.contains(videos.get(i))) {
                unseen.add(videos.get(i));
            }
        }
        if (unseen.isEmpty()) {
            return videos.get(random.nextInt(videos.size()));
        }
        int index = 0;
        while (index < unseen.size() - 1 && random.nextDouble() < 0.45) {
            index++;
        }
        return unseen.get(index);
    }

    private void upload(
            Params p, Random random, List<List<String>> byTopic, Set<String> usedSids, int topic, long time) {
        String id = "v" + sids.size();
        int first = topic * (p.codesPerLevel() / p.topics());
        List<Integer> sid;
        do {
            sid = new ArrayList<>();
            sid.add(first);
            for (int level = 1; level < p.levels(); level++) {
                sid.add(random.nextInt(p.codesPerLevel()));
            }
            sid.add(random.nextInt(Math.min(4, p.collisions())));
        } while (!usedSids.add(sid.toString()));
        sids.put(id, List.copyOf(sid));
        uploadTime.put(id, time);
        byTopic.get(topic).add(id);
    }

    /** Every interaction, in time order. */
    public List<Interaction> interactions() {
        return List.copyOf(interactions);
    }

    /** Video id to SID codes (prefix then collision token). */
    public Map<String, List<Integer>> sids() {
        return Map.copyOf(sids);
    }

    /** Video id to upload time. */
    public Map<String, Long> uploadTimes() {
        return Map.copyOf(uploadTime);
    }
}
