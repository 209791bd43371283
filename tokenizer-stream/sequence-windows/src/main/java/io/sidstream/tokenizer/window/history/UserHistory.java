package io.sidstream.tokenizer.window.history;

import io.sidstream.core.metrics.FreshnessLag;
import io.sidstream.flink.metrics.FlinkFreshnessLag;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.HistoryItem;
import io.sidstream.schemas.RequestContext;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.tokenizer.window.PositiveRule;
import io.sidstream.tokenizer.window.WindowsConfig;
import io.sidstream.tokenizer.window.join.ResolvedEngagement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keeps each user's last {@code windows.history-length} engagements in event-time order and, on each positive
 * engagement, emits a {@link TrainingExample}: the history before it, its request context and its target.
 *
 * <p>Engagements are processed on arrival rather than held until the watermark passes, so an example leaves seconds
 * after its event; one that arrives out of order still lands at its event-time place in the history, for the
 * examples after it. Its own example holds what had arrived by then.
 *
 * <p>Codebook versions: each entry keeps the SID and version it was resolved with. An example is expressed in the
 * codebook version of its target; entries resolved under another version are left out of that example and counted
 * in {@code staleHistoryItems}. SIDs of different versions are not comparable, the trainer restarts on a new codebook,
 * and histories converge to the new version as users engage.
 *
 * <p>A user without engagements for {@code windows.user-ttl} of event time is removed by an event-time timer (one
 * per user), which also keeps {@code usersInState} exact.
 */
public final class UserHistory extends KeyedProcessFunction<String, ResolvedEngagement, TrainingExample>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;

    private final WindowsConfig config;

    /** History, last activity and expiry timer in one value: one state read and one write per engagement. */
    private transient ValueState<byte[]> user;

    private transient ListState<Long> userCountState;
    private transient long users;

    private transient Counter examples;
    private transient Counter staleItems;
    private transient Counter expiredUsers;
    private transient FlinkFreshnessLag latency;

    public UserHistory(WindowsConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        user = getRuntimeContext()
                .getState(new ValueStateDescriptor<>("user", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));

        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        examples = metrics.counter("sidstream_windows_examples_total");
        staleItems = metrics.counter("sidstream_windows_stale_history_items_total");
        expiredUsers = metrics.counter("sidstream_windows_expired_users_total");
        latency = FlinkFreshnessLag.register(metrics, FreshnessLag.Stage.ENGAGEMENT_TO_EXAMPLE);
        metrics.gauge("sidstream_windows_users_in_state", (Gauge<Long>) () -> users);
    }

    @Override
    public void processElement(ResolvedEngagement resolved, Context ctx, Collector<TrainingExample> out)
            throws Exception {
        Engagement engagement = resolved.engagement;
        long eventTime = engagement.getEventTime().toEpochMilli();
        StoredHistory stored = StoredHistory.of(user.value());
        int position = stored.position(eventTime, engagement.getEventId());

        if (config.positiveRule().isPositive(engagement)) {
            out.collect(example(resolved, stored, position));
            examples.inc();
            // the example is usable once the sink's transaction commits, up to a checkpoint interval later: this is
            // the job's own share of the stage, the part it can see
            long now = ctx.timerService().currentProcessingTime();
            if (now >= eventTime) {
                latency.record(Duration.ofMillis(now - eventTime));
            }
        }

        long latest = stored.exists() ? Math.max(stored.lastActivity(), eventTime) : eventTime;
        long timer = stored.expiryTimer();
        if (!stored.hasTimer()) {
            timer = latest + config.userTtl().toMillis();
            ctx.timerService().registerEventTimeTimer(timer);
        }
        if (config.entersHistory(engagement.getEventType())) {
            user.update(stored.with(position, entry(resolved), config.historyLength(), latest, timer));
        } else if (!stored.exists() || latest != stored.lastActivity() || timer != stored.expiryTimer()) {
            user.update(stored.withActivity(latest, timer));
        }
        if (!stored.exists()) {
            users++;
        }
    }

    private TrainingExample example(ResolvedEngagement target, StoredHistory stored, int position) {
        Engagement engagement = target.engagement;
        List<HistoryItem> items = new ArrayList<>(Math.min(position, config.historyLength()));
        for (int i = Math.max(0, position - config.historyLength()); i < position; i++) {
            HistoryEntry entry = stored.entry(i);
            if (!target.codebookVersion.equals(entry.codebookVersion)) {
                staleItems.inc();
                continue;
            }
            int gap = i == 0 ? 0 : Buckets.timeGapBucket(stored.eventTime(i - 1), entry.eventTime);
            // constructors, not builders: up to 50 items per example, and a builder validates and copies each field
            items.add(new HistoryItem(
                    entry.videoId,
                    codes(entry.sid),
                    entry.eventType,
                    entry.watchBucket,
                    entry.surface,
                    entry.device,
                    gap,
                    Instant.ofEpochMilli(entry.eventTime)));
        }
        RequestContext context = new RequestContext(
                engagement.getSurface(),
                engagement.getDevice(),
                engagement.getCountry(),
                hourOfDay(engagement.getEventTime().toEpochMilli()),
                engagement.getContextVideoId());
        return new TrainingExample(
                engagement.getEventId(),
                engagement.getUserId(),
                context,
                items,
                engagement.getVideoId(),
                codes(target.sid),
                engagement.getEventType(),
                engagement.getEventTime(),
                target.codebookVersion);
    }

    /** Hour of day in UTC. */
    static int hourOfDay(long epochMillis) {
        return (int) Math.floorMod(epochMillis, 86_400_000L) / 3_600_000;
    }

    private static HistoryEntry entry(ResolvedEngagement resolved) {
        Engagement engagement = resolved.engagement;
        HistoryEntry entry = new HistoryEntry();
        entry.eventId = engagement.getEventId();
        entry.videoId = engagement.getVideoId();
        entry.sid = resolved.sid;
        entry.codebookVersion = resolved.codebookVersion;
        entry.eventType = engagement.getEventType();
        entry.watchBucket = Buckets.watchBucket(PositiveRule.watchFraction(engagement));
        entry.surface = engagement.getSurface();
        entry.device = engagement.getDevice();
        entry.eventTime = engagement.getEventTime().toEpochMilli();
        return entry;
    }

    private static List<Integer> codes(int[] sid) {
        List<Integer> codes = new ArrayList<>(sid.length);
        for (int code : sid) {
            codes.add(code);
        }
        return codes;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TrainingExample> out) throws Exception {
        StoredHistory stored = StoredHistory.of(user.value());
        if (!stored.exists()) {
            return;
        }
        long expiresAt = stored.lastActivity() + config.userTtl().toMillis();
        if (expiresAt <= timestamp) {
            user.clear();
            users--;
            expiredUsers.inc();
        } else {
            // active since the timer was set: one timer per user, moved forward lazily instead of on every event
            ctx.timerService().registerEventTimeTimer(expiresAt);
            user.update(stored.withActivity(stored.lastActivity(), expiresAt));
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        userCountState.update(List.of(users));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        userCountState =
                context.getOperatorStateStore().getListState(new ListStateDescriptor<>("users-in-state", Types.LONG));
        users = 0;
        for (Long count : userCountState.get()) {
            users += count;
        }
    }
}
