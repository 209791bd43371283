package io.sidstream.tokenizer.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxTextEmbedderTest {

    private static OnnxTextEmbedder embedder;

    @BeforeAll
    static void load() {
        embedder = OnnxTextEmbedder.miniLm("all-minilm-l6-v2");
    }

    @AfterAll
    static void close() {
        embedder.close();
    }

    @Test
    void embedsToUnitVectorsOf384Dimensions() {
        List<float[]> vectors = embedder.embed(List.of("a cat playing piano", "how to bake sourdough bread at home"));

        assertThat(vectors).hasSize(2).allSatisfy(v -> {
            assertThat(v).hasSize(384);
            assertThat(norm(v)).isCloseTo(1.0, within(1e-4));
        });
    }

    @Test
    void similarTitlesAreCloserThanUnrelatedOnes() {
        List<float[]> v = embedder.embed(List.of("funny cat compilation", "hilarious cats video",
                "quarterly tax filing for small businesses"));

        assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(0.6);
        assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(cosine(v.get(0), v.get(2)) + 0.3);
    }

    @Test
    void aTextEmbedsTheSameAloneAndInAPaddedBatch() {
        String shortText = "guitar lesson";
        float[] alone = embedder.embed(List.of(shortText)).get(0);
        float[] batched = embedder.embed(List.of("a much longer title about learning to play the electric guitar", shortText)).get(1);

        assertThat(cosine(alone, batched)).isGreaterThan(0.9999);
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot / (norm(a) * norm(b));
    }

    static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }
}
