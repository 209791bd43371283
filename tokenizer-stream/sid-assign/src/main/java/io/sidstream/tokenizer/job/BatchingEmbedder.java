package io.sidstream.tokenizer.job;

import io.sidstream.tokenizer.embed.TextEmbedder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Collects texts from many callers into batches for one encoder thread: a batch runs when it is full or when its
 * first text has waited {@code maxWait}, so a lone upload is not held back for long and a burst is embedded a batch
 * per forward pass. With {@code maxWait} zero the encoder takes whatever queued while it was busy: at low rates each
 * upload goes at once (a text upload's latency is its batch's encode time, nothing more), and under load the batches
 * grow by themselves to {@code batchSize}.
 */
public final class BatchingEmbedder implements AutoCloseable {

    private record Pending(String text, CompletableFuture<float[]> result) {}

    private final TextEmbedder embedder;
    private final int batchSize;
    private final long maxWaitNanos;
    private final IntConsumer batchListener;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean running = true;

    public BatchingEmbedder(TextEmbedder embedder, int batchSize, Duration maxWait, IntConsumer batchListener) {
        this.embedder = embedder;
        this.batchSize = batchSize;
        this.maxWaitNanos = maxWait.toNanos();
        this.batchListener = batchListener;
        this.worker = new Thread(this::run, "sid-text-embedder");
        worker.setDaemon(true);
        worker.start();
    }

    public CompletableFuture<float[]> embed(String text) {
        CompletableFuture<float[]> result = new CompletableFuture<>();
        if (!running) {
            result.completeExceptionally(new IllegalStateException("the text embedder is closed"));
            return result;
        }
        queue.add(new Pending(text, result));
        return result;
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(batchSize);
        while (running) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxWaitNanos;
                while (batch.size() < batchSize) {
                    queue.drainTo(batch, batchSize - batch.size());
                    long left = deadline - System.nanoTime();
                    if (batch.size() >= batchSize || left <= 0) {
                        break;
                    }
                    Pending next = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (next != null) {
                        batch.add(next);
                    }
                }
                embedBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new IllegalStateException("the text embedder was closed"));
        }
    }

    private void embedBatch(List<Pending> batch) {
        List<float[]> vectors;
        try {
            vectors = embedder.embed(texts(batch));
        } catch (RuntimeException batchFailure) {
            embedEachAlone(batch, batchFailure);
            return;
        } catch (Error e) {
            // every caller hears about it: an upload left waiting would sit in the async operator until its timeout
            failAll(batch, e);
            throw e;
        }
        batchListener.accept(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(vectors.get(i));
        }
    }

    /**
     * One text the encoder cannot take must not fail the uploads it was batched with (nor, by failing the job, every
     * upload after it): each is tried alone, and a text that fails alone is a {@link TextEncodingException}, which
     * the job dead-letters. When every text of a batch fails alone as well, the encoder is broken, not the texts: they
     * all get the batch's own failure, which restarts the job instead of dead-lettering a whole stream.
     */
    private void embedEachAlone(List<Pending> batch, RuntimeException batchFailure) {
        List<Pending> failed = new ArrayList<>();
        List<RuntimeException> failures = new ArrayList<>();
        for (Pending p : batch) {
            try {
                float[] vector = embedder.embed(List.of(p.text())).get(0);
                batchListener.accept(1);
                p.result().complete(vector);
            } catch (RuntimeException e) {
                failed.add(p);
                failures.add(e);
            } catch (Error e) {
                failAll(batch, e);
                throw e;
            }
        }
        if (batch.size() > 1 && failed.size() == batch.size()) {
            failAll(batch, batchFailure);
            return;
        }
        for (int i = 0; i < failed.size(); i++) {
            failed.get(i).result().completeExceptionally(new TextEncodingException(failures.get(i)));
        }
    }

    private static List<String> texts(List<Pending> batch) {
        List<String> texts = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            texts.add(p.text());
        }
        return texts;
    }

    private static void failAll(List<Pending> batch, Throwable failure) {
        for (Pending p : batch) {
            p.result().completeExceptionally(failure);
        }
    }

    @Override
    public void close() {
        running = false;
        worker.interrupt();
        try {
            worker.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        embedder.close();
    }
}
