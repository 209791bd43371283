package io.sidstream.tokenizer.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sidstream.tokenizer.embed.TextEmbedder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchingEmbedderTest {

    /** Embeds each text as (length, 0); the first call blocks until released, so texts queue up behind it. */
    private static final class GatedEmbedder implements TextEmbedder {
        final CountDownLatch firstCallStarted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

        @Override
        public String modelName() {
            return "gated";
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            if (batchSizes.isEmpty()) {
                firstCallStarted.countDown();
                try {
                    release.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            batchSizes.add(texts.size());
            List<float[]> out = new ArrayList<>();
            for (String t : texts) {
                out.add(new float[] {t.length(), 0});
            }
            return out;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void withoutAWaitALoneTextGoesAloneAndTextsThatQueuedWhileTheEncoderWasBusyGoTogether() throws Exception {
        GatedEmbedder encoder = new GatedEmbedder();
        List<Integer> listened = new CopyOnWriteArrayList<>();
        try (BatchingEmbedder batching = new BatchingEmbedder(encoder, 4, Duration.ZERO, listened::add)) {
            CompletableFuture<float[]> first = batching.embed("a");
            assertThat(encoder.firstCallStarted.await(1, TimeUnit.MINUTES)).isTrue();
            List<CompletableFuture<float[]>> queued = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                queued.add(batching.embed("x".repeat(i)));
            }
            encoder.release.countDown();

            assertThat(first.get(1, TimeUnit.MINUTES)).containsExactly(1f, 0f);
            for (int i = 0; i < queued.size(); i++) {
                assertThat(queued.get(i).get(1, TimeUnit.MINUTES)).containsExactly(i + 1f, 0f);
            }
            // the lone first text did not wait for company; the six behind it went as full batches of at most 4
            assertThat(encoder.batchSizes).containsExactly(1, 4, 2);
            await().atMost(Duration.ofMinutes(1)).until(() -> listened.size() == 3);
            assertThat(listened).containsExactly(1, 4, 2);
        }
    }

    @Test
    void aFailingBatchFailsEveryTextInIt() throws Exception {
        TextEmbedder broken = new TextEmbedder() {
            @Override
            public String modelName() {
                return "broken";
            }

            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public List<float[]> embed(List<String> texts) {
                throw new IllegalStateException("no model");
            }

            @Override
            public void close() {
            }
        };
        try (BatchingEmbedder batching = new BatchingEmbedder(broken, 4, Duration.ZERO, size -> { })) {
            CompletableFuture<float[]> result = batching.embed("a");
            await().atMost(Duration.ofMinutes(1)).until(result::isDone);
            assertThat(result).isCompletedExceptionally();
        }
    }
}
