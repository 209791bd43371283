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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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
        public void close() {}
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

    /** Embeds each text as (length, 0) and throws on the texts it is told to; remembers the size of every call. */
    private static final class PickyEmbedder implements TextEmbedder {
        final Predicate<String> refuses;
        final List<Integer> calls = new CopyOnWriteArrayList<>();

        PickyEmbedder(Predicate<String> refuses) {
            this.refuses = refuses;
        }

        @Override
        public String modelName() {
            return "picky";
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            calls.add(texts.size());
            List<float[]> out = new ArrayList<>();
            for (String t : texts) {
                if (refuses.test(t)) {
                    throw new IllegalArgumentException("cannot tokenize " + t);
                }
                out.add(new float[] {t.length(), 0});
            }
            return out;
        }

        @Override
        public void close() {}
    }

    /** A batch runs only when full (the wait is far longer than any test), so each test decides its batches. */
    private static List<CompletableFuture<float[]>> embedOneBatch(PickyEmbedder encoder, List<String> texts) {
        List<CompletableFuture<float[]>> results = new ArrayList<>();
        try (BatchingEmbedder batching =
                new BatchingEmbedder(encoder, texts.size(), Duration.ofMinutes(10), size -> {})) {
            for (String text : texts) {
                results.add(batching.embed(text));
            }
            await().atMost(Duration.ofMinutes(1)).until(() -> results.stream().allMatch(CompletableFuture::isDone));
        }
        return results;
    }

    @Test
    void aTextTheEncoderFailsOnFailsAloneAndTheRestOfItsBatchIsEmbedded() throws Exception {
        PickyEmbedder encoder = new PickyEmbedder(text -> text.equals("bad"));
        List<CompletableFuture<float[]>> results = embedOneBatch(encoder, List.of("a", "bad", "ccc"));

        assertThat(results.get(0).get()).containsExactly(1f, 0f);
        assertThat(results.get(2).get()).containsExactly(3f, 0f);
        assertThat(results.get(1))
                .failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(TextEncodingException.class)
                .withMessageContaining("cannot tokenize bad");
        // the batch once, then each text alone
        assertThat(encoder.calls).containsExactly(3, 1, 1, 1);
    }

    @Test
    void anEncoderThatFailsOnEveryTextFailsTheWholeBatchWithItsOwnError() {
        PickyEmbedder broken = new PickyEmbedder(text -> true);
        List<CompletableFuture<float[]>> results = embedOneBatch(broken, List.of("a", "b"));

        // not a TextEncodingException: the job restarts rather than dead-letter every upload
        for (CompletableFuture<float[]> result : results) {
            assertThat(result)
                    .failsWithin(Duration.ZERO)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aLoneTextThatFailsTwiceIsRefusedAsThatText() {
        PickyEmbedder encoder = new PickyEmbedder(text -> text.equals("bad"));
        List<CompletableFuture<float[]>> results = embedOneBatch(encoder, List.of("bad"));

        assertThat(results.get(0))
                .failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(TextEncodingException.class);
        assertThat(encoder.calls).containsExactly(1, 1);
    }
}
