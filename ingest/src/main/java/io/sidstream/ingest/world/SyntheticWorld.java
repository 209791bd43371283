package io.sidstream.ingest.world;

import io.sidstream.schemas.Device;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.Surface;
import io.sidstream.schemas.VideoUploaded;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * An endless, seeded stream of a video platform's life: creators upload videos on their topics, users see videos
 * (impressions) chosen by their preferences, the videos' popularity and recency, and skip them, watch part or all of
 * them, like or share them; preferences drift; a share of events arrives late or twice, on purpose.
 *
 * <p>Use it as an {@link Iterator} of {@link WorldEvent}s in world time (uploads before the start first), or take a
 * finite piece with {@link #generate(WorldConfig, int)}. Memory stays bounded for an endless stream.
 */
public final class SyntheticWorld implements Iterator<WorldEvent> {

    /** Name of the embedding space the world's content embeddings live in. */
    public static final String EMBEDDING_MODEL_PREFIX = "sidstream-synthetic-";
    /** The initial catalogue is uploaded over this period before the start. */
    private static final Duration BACKFILL = Duration.ofDays(30);
    /** Events per impression on average (impression, watch or skip, sometimes like/share): converts rates. */
    private static final double EVENTS_PER_SESSION = 2.1;

    private static final double POPULARITY_SHARE = 0.5;
    private static final int DEFAULT_CAPACITY = 1 << 20;

    private final WorldConfig config;
    private final Random random;
    private final ContentModel content;
    private final UserModel users;
    private final VideoCatalog catalog;
    private final int[] creatorTopic;
    private final int[][] creatorSubtopics;
    private final String embeddingModel;
    private final PriorityQueue<Scheduled> scheduled = new PriorityQueue<>();
    private final long startMillis;
    private final double sessionsPerSecond;
    private int initialLeft;
    private double nextUploadSeconds;
    private double nextSessionSeconds;
    private long eventSequence;
    private long scheduleSequence;

    public SyntheticWorld(WorldConfig config) {
        this(config, Math.max(DEFAULT_CAPACITY, config.initialVideos()));
    }

    SyntheticWorld(WorldConfig config, int catalogCapacity) {
        this.config = config;
        this.random = new Random(config.seed());
        this.content =
                new ContentModel(config.topics(), config.subtopicsPerTopic(), config.embeddingDimension(), random);
        this.users = new UserModel(config.users(), config.topics(), config.subtopicsPerTopic(), random);
        this.catalog = new VideoCatalog(config.topics(), catalogCapacity);
        this.creatorTopic = new int[config.creators()];
        this.creatorSubtopics = new int[config.creators()][2];
        for (int c = 0; c < creatorTopic.length; c++) {
            creatorTopic[c] = random.nextInt(config.topics());
            creatorSubtopics[c][0] = random.nextInt(config.subtopicsPerTopic());
            creatorSubtopics[c][1] = random.nextInt(config.subtopicsPerTopic());
        }
        this.embeddingModel = EMBEDDING_MODEL_PREFIX + config.embeddingDimension();
        this.startMillis = config.startTime().toEpochMilli();
        this.sessionsPerSecond = config.engagementsPerSecond() / EVENTS_PER_SESSION;
        this.initialLeft = config.initialVideos();
        this.nextUploadSeconds = exponential(config.uploadsPerSecond());
        this.nextSessionSeconds = exponential(sessionsPerSecond);
    }

    /**
     * Runs a world until it has emitted {@code engagements} engagements (duplicates and late ones included) and
     * returns everything it emitted with the ground truth.
     */
    public static WorldSnapshot generate(WorldConfig config, int engagements) {
        double expectedUploads =
                config.initialVideos() + engagements / config.engagementsPerSecond() * config.uploadsPerSecond();
        SyntheticWorld world =
                new SyntheticWorld(config, (int) Math.max(DEFAULT_CAPACITY, expectedUploads * 1.5 + 1000));
        List<VideoUploaded> videos = new ArrayList<>();
        List<Engagement> out = new ArrayList<>(engagements);
        List<WorldEvent> events = new ArrayList<>();
        while (out.size() < engagements) {
            WorldEvent e = world.next();
            events.add(e);
            if (e.isUpload()) {
                videos.add(e.upload());
            } else {
                out.add(e.engagement());
            }
        }
        return new WorldSnapshot(List.copyOf(videos), List.copyOf(out), List.copyOf(events), world.groundTruth());
    }

    public WorldConfig config() {
        return config;
    }

    public GroundTruth groundTruth() {
        return new GroundTruth(content, users, catalog);
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public WorldEvent next() {
        if (initialLeft > 0) {
            return initialUpload();
        }
        long uploadAt = millis(nextUploadSeconds);
        long sessionAt = millis(nextSessionSeconds);
        Scheduled due = scheduled.peek();
        if (due != null && due.emitAt <= uploadAt && due.emitAt <= sessionAt) {
            scheduled.poll();
            return emit(due.engagement, due.emitAt, due.late, due.duplicate);
        }
        if (uploadAt <= sessionAt) {
            nextUploadSeconds += exponential(config.uploadsPerSecond());
            return new WorldEvent(upload(uploadAt), Instant.ofEpochMilli(uploadAt), false, false);
        }
        nextSessionSeconds += exponential(sessionsPerSecond);
        return session(sessionAt);
    }

    private WorldEvent initialUpload() {
        int index = config.initialVideos() - initialLeft--;
        long at = startMillis - BACKFILL.toMillis() + BACKFILL.toMillis() * index / Math.max(1, config.initialVideos());
        return new WorldEvent(upload(at), Instant.ofEpochMilli(at), false, false);
    }

    private VideoUploaded upload(long at) {
        int creator = random.nextInt(creatorTopic.length);
        int topic = random.nextDouble() < 0.85 ? creatorTopic[creator] : random.nextInt(config.topics());
        int subtopic = random.nextDouble() < 0.7
                ? creatorSubtopics[creator][random.nextInt(2)]
                : random.nextInt(config.subtopicsPerTopic());
        long duration = random.nextDouble() < 0.3
                ? 15_000 + random.nextInt(45_000)
                : Math.max(60_000, Math.min(3 * 3_600_000L, (long) (480_000 * Math.exp(random.nextGaussian() * 0.8))));
        int n = catalog.add(topic, subtopic, duration, at);
        boolean embedded = random.nextDouble() >= config.noEmbeddingShare();
        return VideoUploaded.newBuilder()
                .setVideoId(videoId(n))
                .setCreatorId("c" + creator)
                .setTitle(content.title(topic, subtopic, random))
                .setDescription(content.description(topic, subtopic, random))
                .setTags(content.tags(topic, subtopic, random))
                .setLanguage("en")
                .setDurationMs(duration)
                .setUploadTime(Instant.ofEpochMilli(at))
                .setContentEmbedding(embedded ? content.embedding(topic, subtopic, random) : null)
                .setEmbeddingModel(embedded ? embeddingModel : null)
                .build();
    }

    /** A user is shown a video: the impression now, what they did with it a little later. */
    private WorldEvent session(long at) {
        int user = users.sampleUser(random);
        if (random.nextDouble() < config.driftPerEngagement()) {
            users.drift(user, random);
        }
        boolean explore = random.nextDouble() < config.explorationShare();
        int topic = explore ? random.nextInt(config.topics()) : users.sampleTopic(user, random);
        int video = pickVideo(user, topic);
        if (video < 0) {
            // nothing uploaded on this topic yet: the user browses what is newest anywhere
            if (catalog.size() == 0) {
                // an empty platform: the first upload comes now, so there is something to watch
                return new WorldEvent(upload(at), Instant.ofEpochMilli(at), false, false);
            }
            video = catalog.size() - 1;
            topic = catalog.topic(video);
        }
        Surface surface = surface(user, video);
        String context = surface == Surface.WATCH_NEXT ? videoId(users.lastWatched(user)) : null;
        Device device = Device.values()[users.device(user, random)];
        long duration = catalog.durationMs(video);

        double interest = Math.min(
                1.0,
                0.1
                        + 1.2 * users.weight(user, topic)
                        + (users.favouriteSubtopic(user, topic) == catalog.subtopic(video) ? 0.35 : 0));
        Seen base = new Seen(userId(user), videoId(video), duration, surface, device, users.country(user), context);
        Engagement impression = build(base, EventType.IMPRESSION, 0, at);
        long reactAt = at + 1_000 + random.nextInt(4_000);
        if (random.nextDouble() < 0.85 * interest) {
            boolean full = random.nextDouble() < 0.7 * interest;
            long watched = full ? duration : (long) (duration * (0.05 + 0.85 * random.nextDouble()));
            schedule(build(base, EventType.WATCH, watched, reactAt), reactAt);
            catalog.watched(video);
            users.watched(user, video);
            long after = reactAt + Math.min(watched, 600_000);
            if (full && random.nextDouble() < 0.35 * interest) {
                schedule(build(base, EventType.LIKE, 0, after), after);
            }
            if (random.nextDouble() < 0.03 * interest) {
                schedule(build(base, EventType.SHARE, 0, after + 1), after + 1);
            }
        } else {
            long glanced = Math.min(duration, random.nextInt(3_000));
            schedule(build(base, EventType.SKIP, glanced, reactAt), reactAt);
        }
        return emit(impression, at, false, false);
    }

    private int pickVideo(int user, int topic) {
        int favourite = users.favouriteSubtopic(user, topic);
        int video = catalog.sample(topic, random, POPULARITY_SHARE);
        if (favourite >= 0 && random.nextDouble() < 0.6) {
            for (int attempt = 0; attempt < 6 && video >= 0 && catalog.subtopic(video) != favourite; attempt++) {
                video = catalog.sample(topic, random, POPULARITY_SHARE);
            }
        }
        return video;
    }

    private Surface surface(int user, int video) {
        if (catalog.durationMs(video) <= 60_000 && random.nextDouble() < 0.7) {
            return Surface.SHORTS;
        }
        double r = random.nextDouble();
        if (r < 0.3 && catalog.known(users.lastWatched(user))) {
            return Surface.WATCH_NEXT;
        }
        return r < 0.65 ? Surface.HOME : r < 0.8 ? Surface.SEARCH : r < 0.95 ? Surface.SUBSCRIPTIONS : Surface.OTHER;
    }

    /** What every event of one impression shares. Built afresh per event: copying Avro builders needs class trust settings. */
    private record Seen(
            String userId,
            String videoId,
            long durationMs,
            Surface surface,
            Device device,
            String country,
            String contextVideoId) {}

    private Engagement build(Seen base, EventType type, long watchMs, long at) {
        return Engagement.newBuilder()
                .setUserId(base.userId())
                .setVideoId(base.videoId())
                .setVideoDurationMs(base.durationMs())
                .setSurface(base.surface())
                .setDevice(base.device())
                .setCountry(base.country())
                .setContextVideoId(base.contextVideoId())
                .setEventId("e" + config.seed() + "-" + eventSequence++)
                .setEventType(type)
                .setWatchTimeMs(watchMs)
                .setEventTime(Instant.ofEpochMilli(at))
                .build();
    }

    /** Emits an engagement now, and decides whether a copy comes again later or this one is held back. */
    private WorldEvent emit(Engagement engagement, long at, boolean late, boolean duplicate) {
        if (!late && !duplicate && random.nextDouble() < config.lateShare()) {
            long delay = 30_000 + random.nextInt(270_000);
            scheduled.add(new Scheduled(at + delay, scheduleSequence++, engagement, true, false));
            return next();
        }
        if (!duplicate && random.nextDouble() < config.duplicateShare()) {
            long delay = 1_000 + random.nextInt(300_000);
            scheduled.add(new Scheduled(at + delay, scheduleSequence++, engagement, false, true));
        }
        return new WorldEvent(engagement, Instant.ofEpochMilli(at), late, duplicate);
    }

    private void schedule(Engagement engagement, long at) {
        scheduled.add(new Scheduled(at, scheduleSequence++, engagement, false, false));
    }

    private double exponential(double ratePerSecond) {
        return -Math.log(1 - random.nextDouble()) / ratePerSecond;
    }

    private long millis(double secondsSinceStart) {
        return startMillis + (long) (secondsSinceStart * 1000);
    }

    static String videoId(int n) {
        return "v" + n;
    }

    static String userId(int n) {
        return "u" + n;
    }

    static int videoNumber(String videoId) {
        return parse(videoId, 'v');
    }

    static int userNumber(String userId) {
        int n = parse(userId, 'u');
        if (n < 0) {
            throw new IllegalArgumentException("not a user of the synthetic world: " + userId);
        }
        return n;
    }

    private static int parse(String id, char prefix) {
        if (id == null || id.length() < 2 || id.charAt(0) != prefix) {
            return -1;
        }
        try {
            return Integer.parseInt(id.substring(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private record Scheduled(long emitAt, long sequence, Engagement engagement, boolean late, boolean duplicate)
            implements Comparable<Scheduled> {
        @Override
        public int compareTo(Scheduled other) {
            int byTime = Long.compare(emitAt, other.emitAt);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }
}
