package io.sidstream.tokenizer.job;

import io.sidstream.flink.kafka.DeadLetterOutput;
import io.sidstream.schemas.VideoUploaded;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Admits uploads the job can give a SID: a video id, and either a content embedding (non-empty, every value finite,
 * its embedding model named; for the job's own text model, of that model's dimension) or text to embed. The rest go
 * to the dead-letter topic with the reason. Whether an embedding fits its codebook is checked where the codebook is.
 */
public final class UploadValidator extends ProcessFunction<VideoUploaded, VideoUploaded> {

    private static final long serialVersionUID = 1L;

    private final DeadLetterFactory deadLetters;
    private final String textModel;
    private final int textDimension;
    private transient Counter uploads;
    private transient Counter rejected;

    public UploadValidator(DeadLetterFactory deadLetters, String textModel, int textDimension) {
        this.deadLetters = deadLetters;
        this.textModel = textModel;
        this.textDimension = textDimension;
    }

    @Override
    public void open(OpenContext context) {
        uploads = getRuntimeContext().getMetricGroup().counter("sidstream_sid_uploads_total");
        rejected = getRuntimeContext().getMetricGroup().counter("sidstream_sid_invalid_uploads_total");
    }

    @Override
    public void processElement(VideoUploaded upload, Context ctx, Collector<VideoUploaded> out) {
        uploads.inc();
        String problem = problem(upload);
        if (problem == null) {
            out.collect(upload);
        } else {
            rejected.inc();
            ctx.output(DeadLetterOutput.TAG, deadLetters.upload(upload, DeadLetterFactory.INVALID_EVENT, problem));
        }
    }

    /** Why the upload cannot get a SID, or null when it can. */
    String problem(VideoUploaded upload) {
        if (upload.getVideoId() == null || upload.getVideoId().isBlank()) {
            return "videoId is empty";
        }
        List<Float> embedding = upload.getContentEmbedding();
        if (embedding == null) {
            boolean noText = upload.getTitle().isBlank()
                    && upload.getDescription().isBlank()
                    && (upload.getTags() == null || upload.getTags().isEmpty());
            return noText ? "no content embedding and no title, description or tags to embed" : null;
        }
        if (embedding.isEmpty()) {
            return "contentEmbedding is empty";
        }
        String model = upload.getEmbeddingModel();
        if (model == null || model.isBlank()) {
            return "contentEmbedding is present but embeddingModel is not: the embedding space must be named";
        }
        if (model.equals(textModel) && embedding.size() != textDimension) {
            return "contentEmbedding has " + embedding.size() + " dimensions, " + model + " has " + textDimension;
        }
        float[] values = VideoEvent.floats(embedding);
        double norm = 0;
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return "contentEmbedding[" + i + "] is " + embedding.get(i) + ", not a finite number";
            }
            norm += values[i] * values[i];
        }
        return norm == 0 ? "contentEmbedding is all zeros" : null;
    }
}
