package io.sidstream.tokenizer.job;

import io.sidstream.flink.kafka.DeadLetterOutput;
import io.sidstream.schemas.CodebookPublished;
import io.sidstream.tokenizer.codebook.Codebook;
import io.sidstream.tokenizer.sid.ResidualQuantizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per video id: quantizes each new upload with the current codebook of its embedding space and remembers it, so a
 * re-delivered upload keeps its SID (nothing is emitted again) and a new codebook version re-assigns every video the
 * job knows. Uploads that arrive before their embedding space has any codebook wait here, in keyed state, and are
 * assigned when the first one arrives. Removals clear the video and go on to the SID topic as tombstones; the
 * collision token they held is not handed out again.
 *
 * <p>Codebooks arrive as broadcast state, one per embedding model; an older or already known version is ignored, an
 * artifact that fails its checks goes to the dead-letter topic and the current codebook stays.
 */
public final class VideoSidFunction
        extends KeyedBroadcastProcessFunction<String, VideoEvent, CodebookPublished, SidRequest> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(VideoSidFunction.class);

    public static final MapStateDescriptor<String, CodebookPublished> CODEBOOKS = new MapStateDescriptor<>(
            "codebooks", Types.STRING, new SharedAnnouncementTypeInfo());
    public static final ValueStateDescriptor<VideoState> VIDEO = new ValueStateDescriptor<>(
            "video", TypeInformation.of(VideoState.class));
    /** Ids of removed videos, for the SID topic's tombstones. */
    public static final OutputTag<String> REMOVED = new OutputTag<>("removed-videos", Types.STRING);

    private final DeadLetterFactory deadLetters;
    private transient Map<String, Codebook> parsed;
    /** One scratch per codebook version: allocating it per upload was 4% of this operator's time. */
    private transient Map<String, Codebook.Scratch> scratches;
    private transient ValueState<VideoState> video;
    private transient Counter pending;
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
        scratches = new HashMap<>();
        video = getRuntimeContext().getState(VIDEO);
        var metrics = getRuntimeContext().getMetricGroup();
        pending = metrics.counter("uploadsAwaitingCodebook");
        redelivered = metrics.counter("redeliveredUploads");
        reassigned = metrics.counter("reassignedVideos");
        removals = metrics.counter("removalsForwarded");
        versionInUse = "";
        metrics.gauge("codebookVersion", () -> versionInUse);
        metrics.gauge("codebookPublishedTime", () -> versionPublishedAt);
    }

    @Override
    public void processElement(VideoEvent event, ReadOnlyContext ctx, Collector<SidRequest> out) throws Exception {
        if (event.removed) {
            video.clear();
            removals.inc();
            ctx.output(REMOVED, event.videoId);
            return;
        }
        if (video.value() != null) {
            redelivered.inc();
            return;
        }
        VideoState state = new VideoState(event.embedding, event.embeddingModel, event.uploadTime);
        CodebookPublished announced = ctx.getBroadcastState(CODEBOOKS).get(state.embeddingModel);
        if (announced == null) {
            pending.inc();
            video.update(state);
            return;
        }
        Codebook codebook = codebook(announced);
        if (codebook.dim() != state.embedding.length) {
            ctx.output(DeadLetterOutput.TAG, deadLetters.upload(event.toUpload(), DeadLetterFactory.DIMENSION_MISMATCH,
                    mismatch(state, codebook)));
            return;
        }
        out.collect(assign(event.videoId, state, codebook, true));
        video.update(state);
    }

    @Override
    public void processBroadcastElement(CodebookPublished announced, Context ctx, Collector<SidRequest> out)
            throws Exception {
        String model = announced.getEmbeddingModel();
        CodebookPublished current = ctx.getBroadcastState(CODEBOOKS).get(model);
        if (current != null && (current.getCodebookVersion().equals(announced.getCodebookVersion())
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
        Reassignment batch = new Reassignment(codebook, out);
        ctx.applyToKeyedState(VIDEO, (videoId, state) -> {
            VideoState v = state.value();
            if (v == null || !model.equals(v.embeddingModel)) {
                return;
            }
            if (v.embedding.length != codebook.dim()) {
                ctx.output(DeadLetterOutput.TAG, deadLetters.video(videoId, "embeddingModel=" + model + ", "
                        + v.embedding.length + " dimensions", DeadLetterFactory.DIMENSION_MISMATCH, mismatch(v, codebook)));
                state.clear();
                return;
            }
            if (!v.pending()) {
                reassigned.inc();
            }
            v.codebookVersion = codebook.version();
            state.update(v);
            batch.add(videoId, v);
        });
        batch.flush();
    }

    /**
     * Videos re-assigned under a new codebook, quantized {@link ResidualQuantizer.BatchScratch#DEFAULT_CAPACITY} at a
     * time on the quantizer's batched path (same codes as one at a time, about twice as fast): a codebook switch
     * re-quantizes every video the subtask knows. Requests go out in the order the videos were visited.
     */
    private static final class Reassignment {
        private final Codebook codebook;
        private final Collector<SidRequest> out;
        private final ResidualQuantizer.BatchScratch scratch;
        private final String[] ids;
        private final VideoState[] states;
        private final float[][] embeddings;
        private int size;

        Reassignment(Codebook codebook, Collector<SidRequest> out) {
            this.codebook = codebook;
            this.out = out;
            this.scratch = new ResidualQuantizer.BatchScratch(codebook.quantizer(),
                    ResidualQuantizer.BatchScratch.DEFAULT_CAPACITY);
            this.ids = new String[scratch.capacity()];
            this.states = new VideoState[scratch.capacity()];
            this.embeddings = new float[scratch.capacity()][];
        }

        void add(String videoId, VideoState state) {
            ids[size] = videoId;
            states[size] = state;
            embeddings[size] = codebook.quantizerInput(state.embedding);
            size++;
            if (size == ids.length) {
                flush();
            }
        }

        void flush() {
            if (size == 0) {
                return;
            }
            int[][] prefixes = new int[size][codebook.levels()];
            codebook.quantizer().quantize(embeddings, size, prefixes, scratch);
            for (int i = 0; i < size; i++) {
                out.collect(new SidRequest(ids[i], states[i].embeddingModel, codebook.version(), prefixes[i],
                        codebook.maxCollisionTokens(), states[i].uploadTime, false));
            }
            Arrays.fill(states, null);
            Arrays.fill(embeddings, null);
            size = 0;
        }
    }

    private SidRequest assign(String videoId, VideoState state, Codebook codebook, boolean fresh) {
        state.codebookVersion = codebook.version();
        int[] prefix = new int[codebook.levels()];
        codebook.prefix(state.embedding, prefix, scratches.computeIfAbsent(codebook.version(), v -> new Codebook.Scratch(codebook)));
        return new SidRequest(videoId, state.embeddingModel, codebook.version(),
                prefix, codebook.maxCollisionTokens(), state.uploadTime, fresh);
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

    private static String mismatch(VideoState state, Codebook codebook) {
        return "contentEmbedding has " + state.embedding.length + " dimensions, codebook " + codebook.version()
                + " of embedding model " + codebook.embeddingModel() + " wants " + codebook.dim();
    }

}
