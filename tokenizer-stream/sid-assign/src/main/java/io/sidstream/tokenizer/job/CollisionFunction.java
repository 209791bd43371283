package io.sidstream.tokenizer.job;

import io.sidstream.core.metrics.FreshnessLag;
import io.sidstream.core.sid.Sid;
import io.sidstream.flink.kafka.DeadLetterOutput;
import io.sidstream.flink.metrics.BucketedHistogram;
import io.sidstream.flink.metrics.FlinkFreshnessLag;
import io.sidstream.schemas.SidAssigned;
import java.time.Duration;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;

/**
 * Per codebook version and prefix: hands out collision tokens 0, 1, 2... in arrival order, and remembers which video
 * got which, so a video that comes again (a re-processed request) gets the token it already has. A prefix that holds
 * the codebook's maximum sends further videos to the dead-letter topic (reason {@code PREFIX_FULL}).
 *
 * <p>Its output is what the SID topic gets: a SID ({@code Right}) or a removed video's tombstone ({@code Left}, the
 * video id). A removal arrives under the key of the video's last SID request, so its tombstone leaves behind that SID;
 * had it gone to the sink on a path of its own, it could overtake the SID, and compaction would keep the removed
 * video's SID.
 */
public final class CollisionFunction extends KeyedProcessFunction<String, SidRequest, Either<String, SidAssigned>> {

    private static final long serialVersionUID = 1L;

    private final DeadLetterFactory deadLetters;
    private transient ValueState<Integer> nextToken;
    private transient MapState<String, Integer> tokenByVideo;
    private transient Counter assigned;
    private transient FlinkFreshnessLag eventTimeLatency;
    private transient BucketedHistogram processingTimeLatency;
    private transient Histogram collisionTokens;

    public CollisionFunction(DeadLetterFactory deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Override
    public void open(OpenContext context) {
        nextToken = getRuntimeContext().getState(new ValueStateDescriptor<>("next-token", Types.INT));
        tokenByVideo =
                getRuntimeContext().getMapState(new MapStateDescriptor<>("token-by-video", Types.STRING, Types.INT));
        var metrics = getRuntimeContext().getMetricGroup();
        assigned = metrics.counter("sidstream_sid_assigned_total");
        eventTimeLatency = FlinkFreshnessLag.register(metrics, FreshnessLag.Stage.UPLOAD_TO_SID);
        processingTimeLatency =
                BucketedHistogram.register(metrics, "sidstream_sid_processing_latency_seconds", FreshnessLag.buckets());
        collisionTokens =
                metrics.histogram("sidstream_sid_collision_token", new DescriptiveStatisticsHistogram(10_000));
    }

    @Override
    public void processElement(SidRequest request, Context ctx, Collector<Either<String, SidAssigned>> out)
            throws Exception {
        if (request.removal) {
            out.collect(Either.Left(request.videoId));
            return;
        }
        Integer stored = nextToken.value();
        // a prefix that handed out no token yet holds no video: most requests open a prefix, and so save the lookup
        Integer token = stored == null ? null : tokenByVideo.get(request.videoId);
        if (token == null) {
            int next = stored == null ? 0 : stored;
            if (next >= request.maxCollisionTokens) {
                ctx.output(
                        DeadLetterOutput.TAG,
                        deadLetters.video(
                                request.videoId,
                                "prefix " + ctx.getCurrentKey(),
                                DeadLetterFactory.PREFIX_FULL,
                                "prefix " + ctx.getCurrentKey() + " already holds " + request.maxCollisionTokens
                                        + " videos, the codebook's collision-token limit"));
                return;
            }
            token = next;
            nextToken.update(next + 1);
            tokenByVideo.put(request.videoId, token);
            collisionTokens.update(token);
        }
        long now = System.currentTimeMillis();
        Sid sid = Sid.of(request.prefix, token);
        out.collect(Either.Right(SidAssigned.newBuilder()
                .setVideoId(request.videoId)
                .setCodes(sid.codes())
                .setCodebookVersion(request.codebookVersion)
                .setEmbeddingModel(request.embeddingModel)
                .setUploadTime(Instant.ofEpochMilli(request.uploadTime))
                .setAssignedTime(Instant.ofEpochMilli(now))
                .build()));
        assigned.inc();
        if (request.fresh) {
            eventTimeLatency.record(Duration.ofMillis(now - request.uploadTime));
            Long received = ctx.timestamp();
            if (received != null) {
                processingTimeLatency.observe((now - received) / 1000.0);
            }
        }
    }
}
