package io.sidstream.trainer.data;

import io.sidstream.model.decode.Query;
import io.sidstream.schemas.Device;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.HistoryItem;
import io.sidstream.schemas.RequestContext;
import io.sidstream.schemas.Surface;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.trainer.eval.Interaction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds model inputs from plain (user, item, time) interactions and a video-to-SID map, for offline datasets that
 * carry no request context: the context is neutral and every history item counts as a watch.
 */
public final class Examples {

    private Examples() {}

    public static RequestContext neutralContext(long timeMillis) {
        return RequestContext.newBuilder()
                .setSurface(Surface.HOME)
                .setDevice(Device.OTHER)
                .setCountry("ZZ")
                .setHourOfDay((int) ((timeMillis / 3_600_000L) % 24))
                .setContextVideoId(null)
                .build();
    }

    public static List<HistoryItem> history(List<Interaction> interactions, Map<String, List<Integer>> sids) {
        List<HistoryItem> items = new ArrayList<>(interactions.size());
        long previous = -1;
        for (Interaction interaction : interactions) {
            List<Integer> sid = sids.get(interaction.videoId());
            if (sid == null) {
                throw new IllegalArgumentException("video " + interaction.videoId() + " has no SID");
            }
            items.add(HistoryItem.newBuilder()
                    .setVideoId(interaction.videoId())
                    .setSid(sid)
                    .setEventType(EventType.WATCH)
                    .setWatchBucket(0)
                    .setSurface(Surface.HOME)
                    .setDevice(Device.OTHER)
                    .setTimeGapBucket(gapBucket(previous < 0 ? 0 : interaction.timeMillis() - previous))
                    .setEventTime(java.time.Instant.ofEpochMilli(interaction.timeMillis()))
                    .build());
            previous = interaction.timeMillis();
        }
        return items;
    }

    /** log2 of the gap in minutes, the same spacing the windows job uses. */
    public static int gapBucket(long gapMillis) {
        long minutes = Math.max(0, gapMillis / 60_000L);
        return minutes == 0 ? 0 : 1 + (63 - Long.numberOfLeadingZeros(minutes));
    }

    /** An example whose history is {@code history} and whose target is {@code target}. */
    public static TrainingExample example(
            String userId,
            List<Interaction> history,
            Interaction target,
            Map<String, List<Integer>> sids,
            String codebookVersion) {
        List<Integer> targetSid = sids.get(target.videoId());
        if (targetSid == null) {
            throw new IllegalArgumentException("video " + target.videoId() + " has no SID");
        }
        return TrainingExample.newBuilder()
                .setExampleId(userId + "@" + target.timeMillis() + "/" + target.videoId())
                .setUserId(userId)
                .setContext(neutralContext(target.timeMillis()))
                .setHistory(history(history, sids))
                .setTargetVideoId(target.videoId())
                .setTargetSid(targetSid)
                .setTargetEventType(EventType.WATCH)
                .setEventTime(java.time.Instant.ofEpochMilli(target.timeMillis()))
                .setCodebookVersion(codebookVersion)
                .build();
    }

    /**
     * Dense-loss training examples from one user's sequence: the model learns every next-item transition inside an
     * example, so a sequence becomes one example per {@code maxHistory + 1} items (the last chunk may be shorter).
     */
    public static List<TrainingExample> fromSequence(
            String userId,
            List<Interaction> sequence,
            int maxHistory,
            Map<String, List<Integer>> sids,
            String codebookVersion) {
        List<TrainingExample> out = new ArrayList<>();
        int end = sequence.size();
        while (end >= 2) {
            int start = Math.max(0, end - 1 - maxHistory);
            out.add(example(userId, sequence.subList(start, end - 1), sequence.get(end - 1), sids, codebookVersion));
            end = start + 1; // the chunk boundary item is also the previous chunk's target, so no transition is lost
            if (start == 0) {
                break;
            }
        }
        return out;
    }

    /** A decoding query for a user with this history, excluding the videos already seen when asked to. */
    public static Query query(
            List<Interaction> history, long timeMillis, Map<String, List<Integer>> sids, boolean excludeSeen) {
        Set<String> exclude = new HashSet<>();
        if (excludeSeen) {
            history.forEach(i -> exclude.add(i.videoId()));
        }
        return new Query(neutralContext(timeMillis), history(history, sids), exclude);
    }

    /** A decoding query from an example's own history and context (the serving shape). */
    public static Query query(TrainingExample example) {
        return new Query(example.getContext(), example.getHistory(), Set.of());
    }
}
