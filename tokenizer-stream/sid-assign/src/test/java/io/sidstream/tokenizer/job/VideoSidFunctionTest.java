package io.sidstream.tokenizer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.schemas.CodebookPublished;
import io.sidstream.schemas.VideoUploaded;
import io.sidstream.schemas.serde.RegistryConfig;
import io.sidstream.tokenizer.catalog.SyntheticCatalog;
import io.sidstream.tokenizer.codebook.Codebook;
import io.sidstream.tokenizer.codebook.TestCodebooks;
import io.sidstream.tokenizer.sid.ResidualQuantizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-video stage in Flink's operator harness: fresh uploads are quantized in batches (full, or after the flush
 * delay), with the codes of the one-at-a-time path, ahead of a removal's tombstone, and a checkpoint taken while some
 * wait emits them after a restore.
 */
class VideoSidFunctionTest {

    private static final String MODEL = "test-384";
    private static final SyntheticCatalog CATALOG = new SyntheticCatalog(384, 8, 4, 0.6, 0.35, 5);
    private static CodebookPublished announced;
    private static Codebook codebook;

    @BeforeAll
    static void trainCodebook() {
        float[][] catalog = CATALOG.embeddings(600);
        announced = TestCodebooks.announcement(
                TestCodebooks.kmeans("v1", MODEL, catalog, 3, 16, 4, 7, 64), catalog, Instant.ofEpochMilli(1_000));
        codebook = CodebookLoader.load(announced);
    }

    private static KeyedBroadcastOperatorTestHarness<String, VideoEvent, CodebookPublished, SidRequest> harness()
            throws Exception {
        var harness = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(
                        new VideoSidFunction(new DeadLetterFactory(RegistryConfig.mock("video-sid-test"))),
                        List.of(VideoSidFunction.CODEBOOKS)),
                (VideoEvent event) -> event.videoId,
                Types.STRING,
                1,
                1,
                0);
        harness.setup();
        return harness;
    }

    /** Open, at processing time 0, with the codebook announced. */
    private static KeyedBroadcastOperatorTestHarness<String, VideoEvent, CodebookPublished, SidRequest>
            harnessWithCodebook() throws Exception {
        var harness = harness();
        harness.open();
        harness.setProcessingTime(0);
        harness.processBroadcastElement(announced, 1);
        return harness;
    }

    private static VideoEvent removal(String id) {
        VideoEvent removal = new VideoEvent();
        removal.videoId = id;
        removal.removed = true;
        return removal;
    }

    private static VideoEvent upload(String id, float[] embedding) {
        VideoUploaded upload = VideoUploaded.newBuilder()
                .setVideoId(id)
                .setCreatorId("c")
                .setTitle("t")
                .setDurationMs(1_000)
                .setUploadTime(Instant.ofEpochMilli(500))
                .build();
        return VideoEvent.of(upload, embedding, MODEL);
    }

    private static List<String> requests(
            KeyedBroadcastOperatorTestHarness<String, VideoEvent, CodebookPublished, SidRequest> h) {
        List<String> out = new ArrayList<>();
        for (SidRequest request : h.extractOutputValues()) {
            out.add((request.removal ? "removed " : "") + request.videoId + "=" + Arrays.toString(request.prefix));
        }
        return out;
    }

    /** The single path's codes of the embedding as the job keeps it, in half precision. */
    private static String expected(String id, float[] embedding) {
        return id + "=" + Arrays.toString(codebook.prefix(HalfFloats.decode(HalfFloats.encode(embedding))));
    }

    @Test
    void aLoneUploadGoesOutAfterTheFlushDelayWithTheCodesOfTheSinglePath() throws Exception {
        try (var h = harnessWithCodebook()) {
            float[] embedding = CATALOG.nextEmbedding();
            h.processElement(new StreamRecord<>(upload("a", embedding), 2));
            assertThat(h.extractOutputValues()).isEmpty();

            h.setProcessingTime(VideoSidFunction.FLUSH_DELAY_MS);

            assertThat(requests(h)).containsExactly(expected("a", embedding));
            assertThat(h.extractOutputValues().get(0).fresh).isTrue();
        }
    }

    @Test
    void aFullBatchGoesOutAtOnceInArrivalOrderAndARedeliveryAddsNothing() throws Exception {
        try (var h = harnessWithCodebook()) {
            int batch = ResidualQuantizer.BatchScratch.DEFAULT_CAPACITY;
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < batch; i++) {
                float[] embedding = CATALOG.nextEmbedding();
                h.processElement(new StreamRecord<>(upload("v" + i, embedding), 2 + i));
                if (i == 3) {
                    h.processElement(new StreamRecord<>(upload("v3", CATALOG.nextEmbedding()), 2 + i));
                }
                expected.add(expected("v" + i, embedding));
            }

            assertThat(requests(h)).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aWaitingRequestGoesOutBeforeTheRemovalOfItsVideoWhichFollowsUnderTheSameKey() throws Exception {
        try (var h = harnessWithCodebook()) {
            float[] embedding = CATALOG.nextEmbedding();
            h.processElement(new StreamRecord<>(upload("a", embedding), 2));
            h.processElement(new StreamRecord<>(removal("a"), 3));

            // the removal follows under the same collision key, so its tombstone cannot overtake the SID
            assertThat(requests(h)).containsExactly(expected("a", embedding), "removed " + expected("a", embedding));
            List<SidRequest> out = h.extractOutputValues();
            assertThat(out.get(1).prefixKey()).isEqualTo(out.get(0).prefixKey());

            h.processElement(new StreamRecord<>(removal("never-uploaded"), 4));
            assertThat(h.extractOutputValues().get(2).removal).isTrue();
            assertThat(h.extractOutputValues().get(2).prefixKey()).isEqualTo("removed/never-uploaded");
        }
    }

    @Test
    void requestsWaitingAtACheckpointGoOutAfterARestore() throws Exception {
        float[] first = CATALOG.nextEmbedding();
        float[] second = CATALOG.nextEmbedding();
        OperatorSubtaskState snapshot;
        try (var h = harnessWithCodebook()) {
            h.processElement(new StreamRecord<>(upload("a", first), 2));
            h.processElement(new StreamRecord<>(upload("b", second), 3));
            snapshot = h.snapshot(1, 4);
            assertThat(h.extractOutputValues()).isEmpty();
        }
        try (var restored = harness()) {
            restored.setProcessingTime(0);
            restored.initializeState(snapshot);
            restored.open();
            // the re-delivered upload of a restored video keeps the SID on its way: nothing more goes out for it
            restored.processElement(new StreamRecord<>(upload("a", first), 5));
            assertThat(restored.extractOutputValues()).isEmpty();

            restored.setProcessingTime(VideoSidFunction.FLUSH_DELAY_MS);

            assertThat(requests(restored)).containsExactly(expected("a", first), expected("b", second));
        }
    }

    /** Issue 23, finding 3: an upload waiting for its space's first codebook was neither counted nor logged. */
    @Test
    void anUploadWithoutACodebookIsCountedWhileItWaitsAndAssignedWhenOneArrives() throws Exception {
        double before = AwaitingCodebook.UPLOADS.labelValues(MODEL).get();
        try (var harness = harness()) {
            harness.open();
            harness.setProcessingTime(0);
            float[] embedding = CATALOG.embeddings(1)[0];
            harness.processElement(upload("waiting-1", embedding), 1);
            assertThat(AwaitingCodebook.UPLOADS.labelValues(MODEL).get()).isEqualTo(before + 1);
            assertThat(requests(harness)).isEmpty();

            harness.processBroadcastElement(announced, 2);
            assertThat(requests(harness)).containsExactly(expected("waiting-1", embedding));
        }
    }
}
