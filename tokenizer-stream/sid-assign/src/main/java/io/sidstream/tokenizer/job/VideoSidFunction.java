package io.sidstream.tokenizer.job;

import io.sidstream.flink.kafka.DeadLetterOutput;
import io.sidstream.schemas.CodebookPublished;
import io.sidstream.tokenizer.codebook.Codebook;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per video id: quantizes each new upload with the current codebook of its embedding space and remembers it, so a
 * re-delivered upload keeps its SID (nothing is emitted again) and a new codebook version re-assigns every video the
 * job knows. Uploads that arrive before their embedding space has any codebook wait here, in keyed state, and are
 * assigned when the first one arrives. Removals clear the video and go on to the collision stage under the key of the
 * video's SID (its prefix, quantized again), which forwards them to the SID topic as tombstones behind that SID; the
 * collision token they held is not handed out again.
 *
 * <p>Codebooks arrive as broadcast state, one per embedding model; an older or already known version is ignored, an
 * artifact that fails its checks goes to the dead-letter topic and the current codebook stays.
 *
 * <p>Fresh uploads are quantized {@link QuantizeBatch} at a time: each upload's state is written at once (so a
 * re-delivery is recognised), its request waits until the batch is full or {@link #FLUSH_DELAY_MS} later (a
 * processing-time timer, registered when the batch starts), and before any removal or codebook change is handled, so
 * requests keep their order against tombstones and switches. Requests still waiting when a checkpoint is taken are in
 * it (operator state, with the timer that flushes them), so a restore emits them instead of losing them.
 */
public final class VideoSidFunction
        extends KeyedBroadcastProcessFunction<String, VideoEvent, CodebookPublished, SidRequest>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(VideoSidFunction.class);

    public static final MapStateDescriptor<String, CodebookPublished> CODEBOOKS =
            new MapStateDescriptor<>("codebooks", Types.STRING, new SharedAnnouncementTypeInfo());
    public static final ValueStateDescriptor<VideoState> VIDEO =
            new ValueStateDescriptor<>("video", TypeInformation.of(VideoState.class));
    /** Longest a fresh upload waits for company in its quantization batch. */
    static final long FLUSH_DELAY_MS = 1;

    private static final ListStateDescriptor<PendingUpload> PENDING =
            new ListStateDescriptor<>("uploads-awaiting-quantization", TypeInformation.of(PendingUpload.class));

    private final DeadLetterFactory deadLetters;
    private transient Map<String, Codebook> parsed;
    /** Fresh uploads waiting to be quantized, one batch per codebook version. */
    private transient Map<String, QuantizeBatch> batches;
    /** Uploads that were waiting when the checkpoint this subtask restored from was taken. */
    private transient List<PendingUpload> restored;

    private transient ListState<PendingUpload> pendingState;
    private transient ValueState<VideoState> video;
    private transient AwaitingCodebook awaiting;
    private transient Counter redelivered;
    private transient Counter reassigned;
    private transient Counter removals;
    private transient volatile String versionInUse;
    private transient volatile long versionPublishedAt;

    public VideoSidFunction(DeadLetterFactory deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Override
    public void open(OpenContext context) {
        parsed = new HashMap<>();
        batches = new HashMap<>();
        video = getRuntimeContext().getState(VIDEO);
        var metrics = getRuntimeContext().getMetricGroup();
        awaiting = new AwaitingCodebook(metrics);
        redelivered = metrics.counter("sidstream_sid_redelivered_uploads_total");
        reassigned = metrics.counter("sidstream_sid_reassigned_videos_total");
        removals = metrics.counter("sidstream_sid_removals_forwarded_total");
        versionInUse = "";
        metrics.gauge("sidstream_sid_codebook_version", () -> versionInUse);
        metrics.gauge("sidstream_sid_codebook_published_time_seconds", () -> versionPublishedAt / 1000.0);
    }

    @Override
    public void processElement(VideoEvent event, ReadOnlyContext ctx, Collector<SidRequest> out) throws Exception {
        if (event.removed) {
            flush(ctx.getBroadcastState(CODEBOOKS), out);
            VideoState state = video.value();
            video.clear();
            removals.inc();
            out.collect(removal(event.videoId, state, ctx.getBroadcastState(CODEBOOKS)));
            return;
        }
        if (video.value() != null) {
            redelivered.inc();
            return;
        }
        VideoState state = new VideoState(event.embedding, event.embeddingModel, event.uploadTime);
        CodebookPublished announced = ctx.getBroadcastState(CODEBOOKS).get(state.embeddingModel);
        if (announced == null) {
            awaiting.upload(event.videoId, state.embeddingModel);
            video.update(state);
            return;
        }
        Codebook codebook = codebook(announced);
        if (codebook.dim() != state.dimension()) {
            ctx.output(
                    DeadLetterOutput.TAG,
                    deadLetters.upload(
                            event.toUpload(), DeadLetterFactory.DIMENSION_MISMATCH, mismatch(state, codebook)));
            return;
        }
        state.codebookVersion = codebook.version();
        video.update(state);
        if (nothingWaiting()) {
            ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + FLUSH_DELAY_MS);
        }
        batchOf(codebook).add(new PendingUpload(event.videoId, state, true), out);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SidRequest> out) throws Exception {
        flush(ctx.getBroadcastState(CODEBOOKS), out);
    }

    private QuantizeBatch batchOf(Codebook codebook) {
        return batches.computeIfAbsent(codebook.version(), v -> new QuantizeBatch(codebook));
    }

    private boolean nothingWaiting() {
        return restored.isEmpty() && batches.values().stream().allMatch(QuantizeBatch::isEmpty);
    }

    /** Emits every waiting request: those restored from a checkpoint, then the batches. */
    private void flush(ReadOnlyBroadcastState<String, CodebookPublished> codebooks, Collector<SidRequest> out)
            throws Exception {
        if (!restored.isEmpty()) {
            for (PendingUpload upload : restored) {
                // the checkpoint holds the broadcast state the upload was batched under
                CodebookPublished announced = codebooks.get(upload.state.embeddingModel);
                if (announced == null) {
                    throw new IllegalStateException("restored upload " + upload.videoId + " waits for a codebook of "
                            + upload.state.embeddingModel + ", which the restored broadcast state does not hold");
                }
                Codebook codebook = codebook(announced);
                batchOf(codebook).add(upload, out);
            }
            restored.clear();
        }
        for (QuantizeBatch batch : batches.values()) {
            batch.flush(out);
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        List<PendingUpload> waiting = new ArrayList<>(restored);
        for (QuantizeBatch batch : batches.values()) {
            waiting.addAll(batch.pending());
        }
        pendingState.update(waiting);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        pendingState = context.getOperatorStateStore().getListState(PENDING);
        restored = new ArrayList<>();
        for (PendingUpload upload : pendingState.get()) {
            restored.add(upload);
        }
    }

    @Override
    public void processBroadcastElement(CodebookPublished announced, Context ctx, Collector<SidRequest> out)
            throws Exception {
        String model = announced.getEmbeddingModel();
        // requests of the codebook in use go out before any re-assignment under the next one
        flush(ctx.getBroadcastState(CODEBOOKS), out);
        CodebookPublished current = ctx.getBroadcastState(CODEBOOKS).get(model);
        if (current != null
                && (current.getCodebookVersion().equals(announced.getCodebookVersion())
                        || current.getPublishedTime().isAfter(announced.getPublishedTime()))) {
            return;
        }
        Codebook codebook;
        try {
            codebook = codebook(announced);
        } catch (IllegalArgumentException e) {
            LOG.warn("codebook {} for {} rejected: {}", announced.getCodebookVersion(), model, e.getMessage());
            if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
                ctx.output(DeadLetterOutput.TAG, deadLetters.codebook(announced, e.getMessage()));
            }
            return;
        }
        ctx.getBroadcastState(CODEBOOKS).put(model, announced);
        versionInUse = codebook.version();
        versionPublishedAt = announced.getPublishedTime().toEpochMilli();
        LOG.info("codebook {} for {} in use; re-assigning this subtask's videos", codebook.version(), model);
        QuantizeBatch batch = new QuantizeBatch(codebook);
        ctx.applyToKeyedState(VIDEO, (videoId, state) -> {
            VideoState v = state.value();
            if (v == null || !model.equals(v.embeddingModel)) {
                return;
            }
            if (v.dimension() != codebook.dim()) {
                ctx.output(
                        DeadLetterOutput.TAG,
                        deadLetters.video(
                                videoId,
                                "embeddingModel=" + model + ", " + v.dimension() + " dimensions",
                                DeadLetterFactory.DIMENSION_MISMATCH,
                                mismatch(v, codebook)));
                state.clear();
                return;
            }
            if (!v.pending()) {
                reassigned.inc();
            }
            v.codebookVersion = codebook.version();
            state.update(v);
            batch.add(new PendingUpload(videoId, v, false), out);
        });
        batch.flush(out);
    }

    /** The parsed codebook of an announcement; parsed once per version and task (broadcast state keeps the bytes). */
    private Codebook codebook(CodebookPublished announced) {
        Codebook codebook = parsed.get(announced.getCodebookVersion());
        if (codebook == null) {
            codebook = CodebookLoader.load(announced);
            parsed.put(codebook.version(), codebook);
            if (versionInUse.isEmpty()) {
                versionInUse = codebook.version();
                versionPublishedAt = announced.getPublishedTime().toEpochMilli();
            }
        }
        return codebook;
    }

    /**
     * The removal under its video's last SID request: the same version and prefix (the kept vector quantized again by
     * the codebook in use, which is the state's version once every video has been re-assigned to it).
     */
    private SidRequest removal(
            String videoId, VideoState state, ReadOnlyBroadcastState<String, CodebookPublished> codebooks)
            throws Exception {
        if (state == null || state.pending()) {
            return SidRequest.removal(videoId, null, null);
        }
        CodebookPublished announced = codebooks.get(state.embeddingModel);
        if (announced == null || !announced.getCodebookVersion().equals(state.codebookVersion)) {
            return SidRequest.removal(videoId, state.codebookVersion, null);
        }
        Codebook codebook = codebook(announced);
        return SidRequest.removal(videoId, codebook.version(), codebook.prefix(state.vector()));
    }

    private static String mismatch(VideoState state, Codebook codebook) {
        return "contentEmbedding has " + state.dimension() + " dimensions, codebook " + codebook.version()
                + " of embedding model " + codebook.embeddingModel() + " wants " + codebook.dim();
    }
}
