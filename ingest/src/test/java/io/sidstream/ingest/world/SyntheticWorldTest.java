package io.sidstream.ingest.world;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.core.config.ConfigLoader;
import io.sidstream.ingest.replay.GenericReader;
import io.sidstream.ingest.replay.MalformedLines;
import io.sidstream.ingest.replay.ReplayConfig;
import io.sidstream.ingest.replay.Timeline;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.VideoUploaded;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticWorldTest {

    private static final WorldConfig SMALL = WorldConfig.defaults()
            .withSize(8, 100, 600, 400)
            .withEmbeddings(32, 0.2)
            .withRates(2, 200);

    @Test
    void theSameSeedGivesTheSameStream() {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        List<String> other = new ArrayList<>();
        SyntheticWorld a = new SyntheticWorld(SMALL);
        SyntheticWorld b = new SyntheticWorld(SMALL);
        SyntheticWorld c = new SyntheticWorld(SMALL.withSeed(7));
        for (int i = 0; i < 3000; i++) {
            first.add(a.next().toString());
            second.add(b.next().toString());
            other.add(c.next().toString());
        }
        assertThat(first).isEqualTo(second).isNotEqualTo(other);
    }

    @Test
    void usersMostlyWatchTheirTopicsAndEmbeddingsClusterByTopic() {
        WorldSnapshot world = SyntheticWorld.generate(SMALL.withNoise(0.02, 0.01, 0.1, 0.0), 30_000);
        GroundTruth truth = world.groundTruth();

        List<Engagement> watches = world.engagements().stream()
                .filter(e -> e.getEventType() == EventType.WATCH)
                .toList();
        long inPreferred = watches.stream()
                .filter(e -> truth.preferences(e.getUserId())
                        .containsKey(truth.topicOf(e.getVideoId()).orElseThrow()))
                .count();
        assertThat((double) inPreferred / watches.size())
                .as("watches within preferred topics")
                .isGreaterThan(0.8);

        double own = 0;
        double otherTopic = 0;
        int n = 0;
        for (VideoUploaded v : world.videos()) {
            if (v.getContentEmbedding() == null) {
                continue;
            }
            int topic = truth.topicOf(v.getVideoId()).orElseThrow();
            own += cosine(v.getContentEmbedding(), truth.topicCentroid(topic));
            otherTopic += cosine(v.getContentEmbedding(), truth.topicCentroid((topic + 1) % truth.topics()));
            n++;
        }
        assertThat(own / n).as("cosine to own topic centroid").isGreaterThan(0.7);
        assertThat(Math.abs(otherTopic / n))
                .as("cosine to another topic's centroid")
                .isLessThan(0.2);
        assertThat(world.videos())
                .filteredOn(v -> v.getContentEmbedding() == null)
                .isNotEmpty();
        assertThat(world.videos()).allSatisfy(v -> assertThat(v.getTitle()).isNotBlank());
    }

    @Test
    void someEventsAreLateOrDuplicatedOnPurpose() {
        WorldSnapshot world =
                SyntheticWorld.generate(SMALL.withNoise(0.05, 0.03, 0.1, 0.002).withRates(1, 20), 20_000);
        List<WorldEvent> engagements =
                world.events().stream().filter(e -> !e.isUpload()).toList();
        Set<String> seen = new HashSet<>();
        int late = 0;
        int duplicates = 0;
        for (WorldEvent e : engagements) {
            boolean firstTime = seen.add(e.engagement().getEventId());
            if (e.duplicate()) {
                duplicates++;
                assertThat(firstTime)
                        .as("a duplicate repeats an earlier event id")
                        .isFalse();
            } else {
                assertThat(firstTime).isTrue();
            }
            if (e.late()) {
                late++;
                assertThat(e.emittedAt())
                        .isAfterOrEqualTo(e.engagement().getEventTime().plus(Duration.ofSeconds(30)));
            }
        }
        assertThat((double) late / engagements.size()).isBetween(0.03, 0.07);
        assertThat((double) duplicates / engagements.size()).isBetween(0.015, 0.045);
        assertThat(engagements)
                .extracting(e -> e.engagement().getEventType())
                .contains(EventType.IMPRESSION, EventType.SKIP, EventType.WATCH, EventType.LIKE);
    }

    /** What the later issues rely on: a model that learns from the stream beats popularity on it. */
    @Test
    void aModelLearnedFromTheStreamBeatsPopularity() {
        WorldSnapshot world = SyntheticWorld.generate(SMALL, 60_000);
        Map<String, List<String>> histories = new LinkedHashMap<>();
        for (Engagement e : world.engagements()) {
            if (e.getEventType() == EventType.WATCH) {
                histories.computeIfAbsent(e.getUserId(), u -> new ArrayList<>()).add(e.getVideoId());
            }
        }
        Map<String, Integer> popularity = new HashMap<>();
        Map<String, Map<String, Integer>> coWatched = new HashMap<>();
        Map<String, String> heldOut = new HashMap<>();
        for (var entry : histories.entrySet()) {
            List<String> h = entry.getValue();
            if (h.size() < 3) {
                continue;
            }
            heldOut.put(entry.getKey(), h.get(h.size() - 1));
            List<String> train = h.subList(0, h.size() - 1);
            for (int i = 0; i < train.size(); i++) {
                popularity.merge(train.get(i), 1, Integer::sum);
                for (int j = Math.max(0, i - 5); j < i; j++) {
                    coWatched
                            .computeIfAbsent(train.get(j), k -> new HashMap<>())
                            .merge(train.get(i), 1, Integer::sum);
                    coWatched
                            .computeIfAbsent(train.get(i), k -> new HashMap<>())
                            .merge(train.get(j), 1, Integer::sum);
                }
            }
        }
        List<String> top10 = top(popularity, 10);
        int popularHits = 0;
        int modelHits = 0;
        for (var entry : heldOut.entrySet()) {
            List<String> h = histories.get(entry.getKey());
            Map<String, Integer> scores = new HashMap<>();
            for (String watched : h.subList(Math.max(0, h.size() - 11), h.size() - 1)) {
                coWatched.getOrDefault(watched, Map.of()).forEach((v, c) -> scores.merge(v, c, Integer::sum));
            }
            popularHits += top10.contains(entry.getValue()) ? 1 : 0;
            modelHits += top(scores, 10).contains(entry.getValue()) ? 1 : 0;
        }
        double popularRecall = (double) popularHits / heldOut.size();
        double modelRecall = (double) modelHits / heldOut.size();
        assertThat(heldOut.size()).isGreaterThan(300);
        assertThat(modelRecall)
                .as("co-watch recall@10 vs popularity " + popularRecall)
                .isGreaterThan(popularRecall * 1.5);
    }

    @Test
    void writesTheGenericReplayFormatThatReplayReadsBack(@TempDir Path dir) {
        WorldSnapshot world = SyntheticWorld.generate(SMALL, 3_000);
        try (GenericFormatWriter writer = new GenericFormatWriter(dir)) {
            world.events().forEach(writer::write);
        }
        MalformedLines malformed = new MalformedLines(0);
        ReplayConfig replay = ReplayConfig.from(ConfigLoader.defaults().section("ingest"));
        List<Timeline.Entry> timeline = Timeline.of(
                new GenericReader(malformed, replay)
                        .readInteractions(
                                dir.resolve(GenericFormatWriter.ITEMS), dir.resolve(GenericFormatWriter.INTERACTIONS)),
                Duration.ofMinutes(10));

        assertThat(malformed.count()).isZero();
        List<Engagement> replayed = timeline.stream()
                .map(Timeline.Entry::event)
                .filter(Engagement.class::isInstance)
                .map(Engagement.class::cast)
                .toList();
        assertThat(replayed).hasSize(world.engagements().size());
        Map<String, Engagement> original =
                world.engagements().stream().collect(Collectors.toMap(Engagement::getEventId, e -> e, (x, y) -> x));
        assertThat(replayed).allSatisfy(e -> {
            Engagement o = original.get(e.getEventId());
            assertThat(e.getUserId()).isEqualTo(o.getUserId());
            assertThat(e.getVideoId()).isEqualTo(o.getVideoId());
            assertThat(e.getEventTime()).isEqualTo(o.getEventTime());
            assertThat(e.getEventType()).isEqualTo(o.getEventType());
            assertThat(e.getSurface()).isEqualTo(o.getSurface());
            assertThat(Math.abs(e.getWatchTimeMs() - o.getWatchTimeMs())).isLessThanOrEqualTo(2);
        });
        List<VideoUploaded> uploads = timeline.stream()
                .map(Timeline.Entry::event)
                .filter(VideoUploaded.class::isInstance)
                .map(VideoUploaded.class::cast)
                .toList();
        assertThat(uploads).hasSize(world.videos().size());
        VideoUploaded firstOriginal = world.videos().get(0);
        VideoUploaded firstReplayed = uploads.stream()
                .filter(v -> v.getVideoId().equals(firstOriginal.getVideoId()))
                .findFirst()
                .orElseThrow();
        assertThat(firstReplayed.getTitle()).isEqualTo(firstOriginal.getTitle());
        assertThat(firstReplayed.getContentEmbedding()).isEqualTo(firstOriginal.getContentEmbedding());
        assertThat(firstReplayed.getUploadTime()).isEqualTo(firstOriginal.getUploadTime());
    }

    private static List<String> top(Map<String, Integer> counts, int k) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(k)
                .map(Map.Entry::getKey)
                .toList();
    }

    private static double cosine(List<Float> a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < b.length; i++) {
            dot += a.get(i) * b[i];
            na += a.get(i) * a.get(i);
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
