package io.sidstream.tokenizer.job;

import io.sidstream.flink.job.TaskManagerClasspath;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.VideoUploaded;
import io.sidstream.tokenizer.embed.EmbedderFactory;
import io.sidstream.tokenizer.embed.VideoText;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.flink.types.Either;

/**
 * Embeds the text of uploads that carry no embedding, through Flink's async I/O: the operator checkpoints the uploads
 * in flight, and a {@link BatchingEmbedder} runs them through the encoder in batches. Out comes the per-video stage's
 * {@link VideoEvent}, or a dead letter ({@value DeadLetterFactory#TEXT_ENCODING_FAILED}) for an upload whose text the
 * encoder fails on while it embeds others.
 */
public final class EmbedFunction extends RichAsyncFunction<VideoUploaded, Either<DeadLetter, VideoEvent>> {

    private static final long serialVersionUID = 1L;

    private final EmbedderFactory factory;
    private final DeadLetterFactory deadLetters;
    private final int batchSize;
    private final Duration maxWait;
    private transient BatchingEmbedder embedder;
    private transient String modelName;
    private transient Counter embedded;

    public EmbedFunction(EmbedderFactory factory, DeadLetterFactory deadLetters, int batchSize, Duration maxWait) {
        this.factory = factory;
        this.deadLetters = deadLetters;
        this.batchSize = batchSize;
        this.maxWait = maxWait;
    }

    @Override
    public void open(OpenContext context) {
        embedded = getRuntimeContext().getMetricGroup().counter("sidstream_sid_text_embeddings_total");
        Histogram batches = getRuntimeContext()
                .getMetricGroup()
                .histogram("sidstream_sid_embedding_batch_size", new DescriptiveStatisticsHistogram(1000));
        // before DJL's first use: a thread it starts on a TaskManager must not keep this job's class loader
        TaskManagerClasspath.startSharedThreads();
        var textEmbedder = factory.create();
        modelName = textEmbedder.modelName();
        embedder = new BatchingEmbedder(textEmbedder, batchSize, maxWait, size -> {
            embedded.inc(size);
            batches.update(size);
        });
    }

    @Override
    public void asyncInvoke(VideoUploaded upload, ResultFuture<Either<DeadLetter, VideoEvent>> result) {
        embedder.embed(VideoText.of(upload)).whenComplete((vector, error) -> {
            // whenComplete swallows what its callback throws: a failure here must reach Flink, or the upload would
            // wait in the operator until the async timeout
            try {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                if (cause instanceof TextEncodingException refused) {
                    result.complete(List.of(Either.Left(
                            deadLetters.upload(upload, DeadLetterFactory.TEXT_ENCODING_FAILED, refused.getMessage()))));
                } else if (cause != null) {
                    result.completeExceptionally(cause);
                } else {
                    result.complete(List.of(Either.Right(VideoEvent.of(upload, vector, modelName))));
                }
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
    }

    @Override
    public void close() {
        if (embedder != null) {
            embedder.close();
        }
    }
}
