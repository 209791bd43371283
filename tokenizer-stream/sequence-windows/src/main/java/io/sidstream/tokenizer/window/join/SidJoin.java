package io.sidstream.tokenizer.window.join;

import io.sidstream.flink.kafka.DeadLetterOutput;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.VideoRemoved;
import io.sidstream.tokenizer.window.WindowTypes;
import io.sidstream.tokenizer.window.WindowsConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Joins engagements with their video's SID, keyed by video id, so the catalog lives in keyed state (RocksDB on a
 * cluster) instead of being broadcast. The first input is engagements, the second the catalog's changes: a
 * {@link SidAssigned} (left) or a {@link VideoRemoved} (right), applied in arrival order, which Kafka keeps per video.
 *
 * <p>Per engagement, in this order: a re-delivered event id is counted and ignored (ids are remembered for
 * {@code windows.dedup-horizon}); an engagement older than the watermark minus the allowed lateness goes to
 * {@link #LATE}; one whose video has a SID leaves joined; one whose video was removed becomes a dead letter; any other
 * waits for its SID and becomes an {@code UNRESOLVED_VIDEO} dead letter if none arrives within
 * {@code windows.unresolved-timeout} (processing time: SIDs are assigned in processing time, seconds after upload).
 * Lateness is judged on arrival, so an engagement that waited for its SID is never called late for having waited.
 * Every engagement keeps its partition and offset on the engagements topic, in state too while it waits, so each of its
 * dead letters names the record it came from.
 */
public final class SidJoin
        extends KeyedCoProcessFunction<
                String, SourcedEngagement, Either<SidAssigned, VideoRemoved>, ResolvedEngagement> {

    private static final long serialVersionUID = 1L;

    /** Engagements that arrived later than the allowed lateness. */
    public static final OutputTag<SourcedEngagement> LATE =
            new OutputTag<>("late-engagements", WindowTypes.SOURCED_ENGAGEMENT);

    /** Videos whose SIDs a join instance keeps on heap besides its state (about 100 bytes each). */
    static final int RECENT_SIDS = 100_000;

    private final WindowsConfig config;
    private final EngagementRejections rejections;

    private transient ValueState<VideoSid> video;
    private transient ListState<PendingEngagement> pending;
    private transient MapState<String, Boolean> seenEvents;
    private transient RecentSids recentSids;

    private transient Counter engagementsIn;
    private transient Counter duplicates;
    private transient Counter late;
    private transient Counter unresolved;
    private transient Counter removedVideo;
    private transient Counter waited;

    public SidJoin(WindowsConfig config, EngagementRejections rejections) {
        this.config = config;
        this.rejections = rejections;
    }

    @Override
    public void open(OpenContext openContext) {
        video = getRuntimeContext().getState(new ValueStateDescriptor<>("video-sid", WindowTypes.VIDEO_SID));
        pending =
                getRuntimeContext().getListState(new ListStateDescriptor<>("pending-engagements", WindowTypes.PENDING));
        MapStateDescriptor<String, Boolean> seen =
                new MapStateDescriptor<>("seen-event-ids", Types.STRING, Types.BOOLEAN);
        seen.enableTimeToLive(StateTtlConfig.newBuilder(config.dedupHorizon())
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        seenEvents = getRuntimeContext().getMapState(seen);
        recentSids = new RecentSids(RECENT_SIDS);

        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        engagementsIn = metrics.counter("sidstream_windows_engagements_total");
        duplicates = metrics.counter("sidstream_windows_duplicate_engagements_total");
        late = metrics.counter("sidstream_windows_late_engagements_total");
        unresolved = metrics.counter("sidstream_windows_unresolved_engagements_total");
        removedVideo = metrics.counter("sidstream_windows_removed_video_engagements_total");
        waited = metrics.counter("sidstream_windows_engagements_waited_for_sid_total");
    }

    @Override
    public void processElement1(SourcedEngagement sourced, Context ctx, Collector<ResolvedEngagement> out)
            throws Exception {
        engagementsIn.inc();
        Engagement engagement = sourced.engagement;
        if (seenEvents.contains(engagement.getEventId())) {
            duplicates.inc();
            return;
        }
        seenEvents.put(engagement.getEventId(), Boolean.TRUE);

        long watermark = ctx.timerService().currentWatermark();
        long eventTime = engagement.getEventTime().toEpochMilli();
        if (watermark != Long.MIN_VALUE
                && eventTime < watermark - config.allowedLateness().toMillis()) {
            late.inc();
            ctx.output(LATE, sourced);
            return;
        }

        VideoSid sid = sid(ctx.getCurrentKey());
        if (sid != null && !sid.removed) {
            out.collect(new ResolvedEngagement(engagement, sid.codes, sid.codebookVersion));
        } else if (sid != null) {
            removedVideo.inc();
            ctx.output(
                    DeadLetterOutput.TAG,
                    rejections.reject(
                            sourced,
                            EngagementRejections.REMOVED,
                            "video " + engagement.getVideoId() + " was removed"));
        } else {
            long deadline = ctx.timerService().currentProcessingTime()
                    + config.unresolvedTimeout().toMillis();
            pending.add(new PendingEngagement(sourced, deadline));
            ctx.timerService().registerProcessingTimeTimer(deadline);
            waited.inc();
        }
    }

    @Override
    public void processElement2(
            Either<SidAssigned, VideoRemoved> change, Context ctx, Collector<ResolvedEngagement> out) throws Exception {
        if (change.isLeft()) {
            SidAssigned assigned = change.left();
            VideoSid sid = new VideoSid(
                    assigned.getCodes().stream().mapToInt(Integer::intValue).toArray(),
                    assigned.getCodebookVersion(),
                    false);
            updateSid(ctx.getCurrentKey(), sid);
            for (PendingEngagement waiting : pending.get()) {
                out.collect(new ResolvedEngagement(waiting.engagement, sid.codes, sid.codebookVersion));
                // released: its timeout would fire for nothing, one more timer per engagement in RocksDB meanwhile
                ctx.timerService().deleteProcessingTimeTimer(waiting.deadline);
            }
        } else {
            updateSid(ctx.getCurrentKey(), new VideoSid(null, null, true));
            for (PendingEngagement waiting : pending.get()) {
                removedVideo.inc();
                ctx.output(
                        DeadLetterOutput.TAG,
                        rejections.reject(
                                waiting.sourced(),
                                EngagementRejections.REMOVED,
                                "video " + waiting.engagement.getVideoId()
                                        + " was removed while the engagement waited for its SID"));
                ctx.timerService().deleteProcessingTimeTimer(waiting.deadline);
            }
        }
        pending.clear();
    }

    private VideoSid sid(String videoId) throws Exception {
        VideoSid sid = recentSids.get(videoId);
        if (sid == null) {
            sid = video.value();
            if (sid != null) {
                recentSids.put(videoId, sid);
            }
        }
        return sid;
    }

    private void updateSid(String videoId, VideoSid sid) throws Exception {
        video.update(sid);
        recentSids.put(videoId, sid);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ResolvedEngagement> out) throws Exception {
        List<PendingEngagement> stillWaiting = new ArrayList<>();
        for (PendingEngagement waiting : pending.get()) {
            if (waiting.deadline <= timestamp) {
                unresolved.inc();
                ctx.output(
                        DeadLetterOutput.TAG,
                        rejections.reject(
                                waiting.sourced(),
                                EngagementRejections.UNRESOLVED,
                                "no SID for video " + waiting.engagement.getVideoId() + " within "
                                        + config.unresolvedTimeout()));
            } else {
                stillWaiting.add(waiting);
            }
        }
        pending.update(stillWaiting);
    }
}
