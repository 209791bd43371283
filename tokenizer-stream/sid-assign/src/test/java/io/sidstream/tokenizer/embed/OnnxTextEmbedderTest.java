package io.sidstream.tokenizer.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OnnxTextEmbedderTest {

    private static final Map<TextModel, OnnxTextEmbedder> EMBEDDERS = new EnumMap<>(TextModel.class);

    @BeforeAll
    static void load() {
        for (TextModel model : TextModel.values()) {
            EMBEDDERS.put(model, OnnxTextEmbedder.open(model, 1));
        }
    }

    @AfterAll
    static void close() {
        EMBEDDERS.values().forEach(OnnxTextEmbedder::close);
    }

    @ParameterizedTest
    @EnumSource(TextModel.class)
    void embedsToUnitVectorsOf384DimensionsNamedByTheirSpace(TextModel model) {
        OnnxTextEmbedder embedder = EMBEDDERS.get(model);
        List<float[]> vectors = embedder.embed(List.of("a cat playing piano", "how to bake sourdough bread at home"));

        assertThat(embedder.modelName()).isEqualTo(model.spaceName());
        assertThat(vectors).hasSize(2).allSatisfy(v -> {
            assertThat(v).hasSize(384);
            assertThat(norm(v)).isCloseTo(1.0, within(1e-4));
        });
    }

    @ParameterizedTest
    @EnumSource(TextModel.class)
    void similarTitlesAreCloserThanUnrelatedOnes(TextModel model) {
        List<float[]> v = EMBEDDERS
                .get(model)
                .embed(List.of(
                        "funny cat compilation", "hilarious cats video", "quarterly tax filing for small businesses"));

        assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(0.6);
        assertThat(cosine(v.get(0), v.get(1))).isGreaterThan(cosine(v.get(0), v.get(2)) + 0.3);
    }

    @ParameterizedTest
    @EnumSource(TextModel.class)
    void aTextEmbedsTheSameAloneAndInAPaddedBatch(TextModel model) {
        OnnxTextEmbedder embedder = EMBEDDERS.get(model);
        String shortText = "guitar lesson";
        float[] alone = embedder.embed(List.of(shortText)).get(0);
        float[] batched = embedder.embed(
                        List.of("a much longer title about learning to play the electric guitar", shortText))
                .get(1);

        assertThat(cosine(alone, batched)).isGreaterThan(0.9999);
    }

    @Test
    void theInt8ModelStaysCloseToTheFloatModelButIsNotIt() {
        List<String> texts = List.of(
                "funny cat compilation",
                "how to bake sourdough bread at home",
                "quarterly tax filing for small businesses",
                "guitar lesson for beginners: chords and strumming");
        List<float[]> quantized = EMBEDDERS.get(TextModel.MINILM_Q).embed(texts);
        List<float[]> full = EMBEDDERS.get(TextModel.MINILM).embed(texts);

        for (int i = 0; i < texts.size(); i++) {
            assertThat(cosine(quantized.get(i), full.get(i)))
                    .isGreaterThan(0.95)
                    .isLessThan(0.99999);
        }
    }

    @Test
    void anUnknownSpaceNamesTheKnownEncoders() {
        assertThat(TextModel.named("all-minilm-l6-v2-q")).isEqualTo(TextModel.MINILM_Q);
        assertThatThrownBy(() -> TextModel.named("e5-small"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("e5-small")
                .hasMessageContaining("all-minilm-l6-v2, all-minilm-l6-v2-q");
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
