package io.sidstream.tokenizer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.VideoUploaded;
import io.sidstream.schemas.serde.RegistryConfig;
import io.sidstream.tokenizer.embed.EmbedderFactory;
import io.sidstream.tokenizer.embed.TextEmbedder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;

/** The async embedding operator, in Flink's operator harness: an upload whose text the encoder fails on alone. */
class EmbedFunctionTest {

    /** Embeds each text as (length, 0, 0, 0), and cannot take a text that mentions "\u0000". */
    private static final class NulRefusingEmbedder implements TextEmbedder {
        @Override
        public String modelName() {
            return "nul-refusing";
        }

        @Override
        public int dimension() {
            return 4;
        }

        @Override
        public List<float[]> embed(List<String> texts) {
            List<float[]> out = new ArrayList<>();
            for (String text : texts) {
                if (text.contains("\u0000")) {
                    throw new IllegalArgumentException("the tokenizer cannot take a NUL character");
                }
                out.add(new float[] {text.length(), 0, 0, 0});
            }
            return out;
        }

        @Override
        public void close() {}
    }

    private static VideoUploaded upload(String id, String title) {
        return VideoUploaded.newBuilder()
                .setVideoId(id)
                .setCreatorId("creator")
                .setTitle(title)
                .setDurationMs(1_000)
                .setUploadTime(Instant.ofEpochMilli(1_000))
                .build();
    }

    @Test
    void anUploadWhoseTextTheEncoderFailsOnIsDeadLetteredAndTheOthersAreEmbedded() throws Exception {
        EmbedderFactory factory = NulRefusingEmbedder::new;
        EmbedFunction function = new EmbedFunction(
                factory, new DeadLetterFactory(RegistryConfig.mock("embed-test")), 8, Duration.ofMillis(50));
        var operator = new AsyncWaitOperatorFactory<VideoUploaded, Either<DeadLetter, VideoEvent>>(
                function, 60_000, 16, AsyncDataStream.OutputMode.UNORDERED);
        try (var harness = new OneInputStreamOperatorTestHarness<>(
                operator, new AvroTypeInfo<>(VideoUploaded.class).createSerializer(new SerializerConfigImpl()))) {
            // the harness would otherwise extract the output's type from an Either value, which cannot name its left
            harness.setup(new EitherTypeInfo<>(new AvroTypeInfo<>(DeadLetter.class), VideoEvent.TYPE)
                    .createSerializer(new SerializerConfigImpl()));
            harness.open();
            harness.processElement(new StreamRecord<>(upload("v1", "cats"), 1));
            harness.processElement(new StreamRecord<>(upload("v2", "bad\u0000title"), 2));
            harness.processElement(new StreamRecord<>(upload("v3", "dogs on skis"), 3));
            harness.endInput();

            Map<String, Either<DeadLetter, VideoEvent>> byVideo = new TreeMap<>();
            for (Either<DeadLetter, VideoEvent> out : harness.extractOutputValues()) {
                byVideo.put(
                        out.isRight()
                                ? out.right().videoId
                                : new String(out.left().getKey().array(), StandardCharsets.UTF_8),
                        out);
            }
            assertThat(byVideo).containsOnlyKeys("v1", "v2", "v3");
            assertThat(byVideo.get("v1").right().embeddingModel).isEqualTo("nul-refusing");
            assertThat(byVideo.get("v3").right().embedding[0])
                    .isGreaterThan(byVideo.get("v1").right().embedding[0]);

            DeadLetter letter = byVideo.get("v2").left();
            assertThat(letter.getErrorClass()).isEqualTo(DeadLetterFactory.TEXT_ENCODING_FAILED);
            assertThat(letter.getReason()).contains("cannot take a NUL character");
            assertThat(letter.getSourceTopic()).isEqualTo("video-uploads");
            assertThat(letter.getStage()).isEqualTo("sid-assign");
            // the payload is the upload in the wire format, so the letter can be fixed and replayed
            assertThat(letter.getPayload().remaining()).isGreaterThan(0);
        }
    }
}
