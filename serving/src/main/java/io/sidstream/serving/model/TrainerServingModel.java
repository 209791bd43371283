package io.sidstream.serving.model;

import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.decode.ConstrainedBeamSearch;
import io.sidstream.model.decode.ModelSnapshot;
import io.sidstream.model.decode.NoveltyMix;
import io.sidstream.model.decode.Recommendation;
import io.sidstream.model.decode.SidTrie;
import io.sidstream.schemas.Device;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.HistoryItem;
import io.sidstream.schemas.RequestContext;
import io.sidstream.schemas.SidEntry;
import io.sidstream.schemas.Surface;
import io.sidstream.serving.trie.ServingTrie;
import io.sidstream.serving.trie.TrieListener;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A checkpoint of the trainer's {@link SidRecModel} serving requests. It keeps its own decoding {@link SidTrie} for its
 * codebook version, seeded from the node's {@link ServingTrie} and kept current through a {@link TrieListener}, so a
 * SID that became valid after the model loaded can be recommended and a removed video never is. History videos are
 * mapped to SIDs through the serving trie (unknown ones are skipped) and excluded from the answer. A request without
 * usable history is answered from the checkpoint's offline table for its context video ({@code fallback}) or from the
 * most engaged videos of the training data ({@code popular}).
 *
 * <p>With a {@link Novelty} (the checkpoint's trained videos and its {@code novel_share}), requests decode the
 * {@link NoveltyMix}: the live videos the model trained on and the others (uploads it never saw) as a mixture, so a
 * fresh upload can be recommended at all. The two group tries are kept beside the full one by the same listener, so
 * nothing is rebuilt per request and the transformer still runs once per request.
 */
public final class TrainerServingModel implements ServingModel {

    private static final Logger LOG = LoggerFactory.getLogger(TrainerServingModel.class);

    private final Info info;
    private final SidRecModel model;
    private final ConstrainedBeamSearch search;
    private final ServingTrie servingTrie;
    private final SidTrie trie;
    private final List<String> popular;
    private final Map<String, List<Scored>> offline;
    private final Clock clock;
    private final TrieListener listener;
    private final Object trieWrites = new Object();
    /** The videos in {@link #trie}, to find the ones a replacing snapshot no longer has. */
    private final Set<String> known = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Null without a {@link Novelty}: single-trie decoding over {@link #trie}. */
    private final Novelty novelty;

    private final NoveltyMix mix;

    /**
     * What the novelty mix needs from a checkpoint.
     *
     * @param trained    the videos the checkpoint's model was trained on
     * @param novelShare the checkpoint's estimate of the share of next videos the model has not trained on, in [0, 1]
     */
    public record Novelty(Set<String> trained, double novelShare) {
        public Novelty {
            trained = Set.copyOf(trained);
            if (!(novelShare >= 0 && novelShare <= 1)) {
                throw new IllegalArgumentException("novel share must be in [0, 1], got " + novelShare);
            }
        }
    }

    /** Single-trie decoding, as for a checkpoint without a novel share. */
    public TrainerServingModel(
            Info info,
            SidRecModel model,
            ServingTrie servingTrie,
            List<String> popular,
            Map<String, List<Scored>> offline,
            Clock clock) {
        this(info, model, servingTrie, popular, offline, null, clock);
    }

    /**
     * @param popular videos by how often they were a training target, most first
     * @param offline "watching X -> recommend Y" per context video, best first
     */
    public TrainerServingModel(
            Info info,
            SidRecModel model,
            ServingTrie servingTrie,
            List<String> popular,
            Map<String, List<Scored>> offline,
            Novelty novelty,
            Clock clock) {
        this.info = info;
        this.model = model;
        // a loaded checkpoint never trains: its parameters are copied once and small requests decode in Java
        this.search = new ConstrainedBeamSearch(model, ModelSnapshot.of(model));
        this.servingTrie = servingTrie;
        this.trie = new SidTrie(model.config().sidLength());
        this.novelty = novelty;
        this.mix = novelty == null
                ? null
                : new NoveltyMix(new SidTrie(trie.sidLength()), new SidTrie(trie.sidLength()), novelty.novelShare());
        this.popular = List.copyOf(popular);
        this.offline = Map.copyOf(offline);
        this.clock = clock;
        String codebook = info.codebookVersion();
        this.listener = new TrieListener() {
            @Override
            public void replaced(String codebookVersion, Collection<SidEntry> entries) {
                if (codebook.equals(codebookVersion)) {
                    synchronized (trieWrites) {
                        Set<String> kept = new HashSet<>();
                        entries.forEach(e -> kept.add(e.getVideoId()));
                        for (String video : List.copyOf(known)) {
                            if (!kept.contains(video)) {
                                remove(video);
                            }
                        }
                        entries.forEach(TrainerServingModel.this::add);
                    }
                }
            }

            @Override
            public void changed(
                    String codebookVersion, Collection<SidEntry> added, Collection<String> removedVideoIds) {
                if (codebook.equals(codebookVersion)) {
                    synchronized (trieWrites) {
                        removedVideoIds.forEach(TrainerServingModel.this::remove);
                        added.forEach(TrainerServingModel.this::add);
                    }
                }
            }
        };
        // listen first, then seed: a change that lands in between is applied twice, which add/remove allow
        servingTrie.addListener(listener);
        synchronized (trieWrites) {
            servingTrie.entries(codebook).forEach(this::add);
        }
    }

    private void add(SidEntry entry) {
        List<Integer> codes = entry.getCodes();
        if (codes.size() != trie.sidLength()) {
            LOG.warn(
                    "video {} has a SID of {} codes, model {} decodes {}; not servable by it",
                    entry.getVideoId(),
                    codes.size(),
                    info.version(),
                    trie.sidLength());
            return;
        }
        int[] sid = codes.stream().mapToInt(Integer::intValue).toArray();
        String holder = trie.videoAt(sid);
        if (holder != null && !holder.equals(entry.getVideoId())) {
            // the serving trie is the truth: a SID moved to another video, the old holder's entry is stale
            remove(holder);
        }
        if (mix != null) {
            // a video whose SID changed must leave its old place in its group's trie too
            (novelty.trained().contains(entry.getVideoId()) ? mix.trained() : mix.novel())
                    .add(entry.getVideoId(), codes);
        }
        trie.add(entry.getVideoId(), codes);
        known.add(entry.getVideoId());
    }

    private void remove(String videoId) {
        trie.remove(videoId);
        if (mix != null) {
            mix.trained().remove(videoId);
            mix.novel().remove(videoId);
        }
        known.remove(videoId);
    }

    /** Live videos this model decodes as trained and as novel; null without a novelty mix. */
    int[] groupSizes() {
        return mix == null ? null : new int[] {mix.trained().size(), mix.novel().size()};
    }

    /** Videos this model can recommend now. */
    public int trieSize() {
        return trie.size();
    }

    @Override
    public Info info() {
        return info;
    }

    @Override
    public Result recommend(Query query, int k, int beamWidth) {
        Instant now = clock.instant();
        Surface surface = enumOf(Surface.class, query.surface(), Surface.OTHER);
        Device device = enumOf(Device.class, query.device(), Device.OTHER);
        List<HistoryItem> history = new ArrayList<>();
        Set<String> exclude = new LinkedHashSet<>(query.history());
        int maxHistory = model.config().maxHistory();
        for (String video : query.history()) {
            servingTrie
                    .sid(info.codebookVersion(), video)
                    .filter(sid -> sid.size() == trie.sidLength())
                    .ifPresent(sid -> history.add(HistoryItem.newBuilder()
                            .setVideoId(video)
                            .setSid(sid)
                            .setEventType(EventType.WATCH)
                            .setWatchBucket(0)
                            .setSurface(surface)
                            .setDevice(device)
                            .setTimeGapBucket(0)
                            .setEventTime(now)
                            .build()));
        }
        if (history.size() > maxHistory) {
            history.subList(0, history.size() - maxHistory).clear();
        }
        if (history.isEmpty()) {
            return fallback(query, k, exclude);
        }
        RequestContext context = RequestContext.newBuilder()
                .setSurface(surface)
                .setDevice(device)
                .setCountry(query.country() == null || query.country().isBlank() ? "ZZ" : query.country())
                .setHourOfDay((int) ((now.toEpochMilli() / 3_600_000L) % 24))
                .setContextVideoId(query.contextVideoId())
                .build();
        List<io.sidstream.model.decode.Query> queries =
                List.of(new io.sidstream.model.decode.Query(context, history, exclude));
        List<Recommendation> found = (mix == null
                        ? search.search(queries, trie, Math.max(beamWidth, k), k)
                        : search.search(queries, mix, Math.max(beamWidth, k), k))
                .get(0);
        List<Scored> items = new ArrayList<>(found.size());
        found.forEach(r -> items.add(new Scored(r.videoId(), r.score())));
        return new Result(items, "model");
    }

    private Result fallback(Query query, int k, Set<String> exclude) {
        List<Scored> items = new ArrayList<>();
        if (query.contextVideoId() != null) {
            for (Scored item : offline.getOrDefault(query.contextVideoId(), List.of())) {
                if (items.size() < k
                        && trie.contains(item.videoId())
                        && !exclude.contains(item.videoId())
                        && !item.videoId().equals(query.contextVideoId())) {
                    items.add(item);
                }
            }
            if (!items.isEmpty()) {
                return new Result(items, "fallback");
            }
        }
        int rank = 0;
        for (String video : popular) {
            if (items.size() >= k) {
                break;
            }
            if (trie.contains(video) && !exclude.contains(video) && !video.equals(query.contextVideoId())) {
                items.add(new Scored(video, -(++rank)));
            }
        }
        return new Result(items, "popular");
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String name, E otherwise) {
        if (name == null || name.isBlank()) {
            return otherwise;
        }
        try {
            return Enum.valueOf(type, name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            return otherwise;
        }
    }

    @Override
    public void close() {
        servingTrie.removeListener(listener);
        model.close();
    }
}
