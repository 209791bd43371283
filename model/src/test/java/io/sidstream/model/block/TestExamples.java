package io.sidstream.model.block;

import io.sidstream.schemas.Device;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.HistoryItem;
import io.sidstream.schemas.RequestContext;
import io.sidstream.schemas.Surface;
import io.sidstream.schemas.TrainingExample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Model inputs from plain (video, time) watches, as the trainer's {@code Examples} builds them from interactions: a
 * neutral context, every history item a watch, gaps bucketed as the windows job does.
 */
final class TestExamples {

    /** One watch of a user. */
    record Watch(String videoId, long timeMillis) {}

    private TestExamples() {}

    static RequestContext neutralContext(long timeMillis) {
        return RequestContext.newBuilder()
                .setSurface(Surface.HOME)
                .setDevice(Device.OTHER)
                .setCountry("ZZ")
                .setHourOfDay((int) ((timeMillis / 3_600_000L) % 24))
                .setContextVideoId(null)
                .build();
    }

    static List<HistoryItem> history(List<Watch> watches, Map<String, List<Integer>> sids) {
        List<HistoryItem> items = new ArrayList<>(watches.size());
        long previous = -1;
        for (Watch watch : watches) {
            items.add(HistoryItem.newBuilder()
                    .setVideoId(watch.videoId())
                    .setSid(sid(watch, sids))
                    .setEventType(EventType.WATCH)
                    .setWatchBucket(0)
                    .setSurface(Surface.HOME)
                    .setDevice(Device.OTHER)
                    .setTimeGapBucket(gapBucket(previous < 0 ? 0 : watch.timeMillis() - previous))
                    .setEventTime(Instant.ofEpochMilli(watch.timeMillis()))
                    .build());
            previous = watch.timeMillis();
        }
        return items;
    }

    static TrainingExample example(
            String userId, List<Watch> history, Watch target, Map<String, List<Integer>> sids, String codebookVersion) {
        return TrainingExample.newBuilder()
                .setExampleId(userId + "@" + target.timeMillis() + "/" + target.videoId())
                .setUserId(userId)
                .setContext(neutralContext(target.timeMillis()))
                .setHistory(history(history, sids))
                .setTargetVideoId(target.videoId())
                .setTargetSid(sid(target, sids))
                .setTargetEventType(EventType.WATCH)
                .setEventTime(Instant.ofEpochMilli(target.timeMillis()))
                .setCodebookVersion(codebookVersion)
                .build();
    }

    private static List<Integer> sid(Watch watch, Map<String, List<Integer>> sids) {
        List<Integer> sid = sids.get(watch.videoId());
        if (sid == null) {
            throw new IllegalArgumentException("video " + watch.videoId() + " has no SID");
        }
        return sid;
    }

    /** log2 of the gap in minutes. */
    private static int gapBucket(long gapMillis) {
        long minutes = Math.max(0, gapMillis / 60_000L);
        return minutes == 0 ? 0 : 1 + (63 - Long.numberOfLeadingZeros(minutes));
    }
}
