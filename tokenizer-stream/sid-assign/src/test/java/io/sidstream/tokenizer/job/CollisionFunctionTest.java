package io.sidstream.tokenizer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.flink.kafka.DeadLetterOutput;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.serde.RegistryConfig;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;

/**
 * The collision stage in Flink's operator harness: tokens per prefix, stable per video, bounded, and restored; removals
 * leave as tombstones in their order.
 */
class CollisionFunctionTest {

    private static KeyedOneInputStreamOperatorTestHarness<String, SidRequest, Either<String, SidAssigned>> harness()
            throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(
                        new CollisionFunction(new DeadLetterFactory(RegistryConfig.mock("collision-test")))),
                SidRequest::prefixKey,
                Types.STRING);
        harness.setup(SidAssignJob.SID_OUTPUT.createSerializer(new SerializerConfigImpl()));
        return harness;
    }

    private static SidRequest request(String video, int... prefix) {
        return new SidRequest(video, "m", "v1", prefix, 2, 1_000L, true);
    }

    @Test
    void handsOutTokensPerPrefixKeepsAVideosTokenAndDeadLettersAFullPrefix() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(request("a", 1, 2, 3), 10));
            h.processElement(new StreamRecord<>(request("b", 1, 2, 3), 11));
            h.processElement(new StreamRecord<>(request("c", 1, 2, 4), 12));
            h.processElement(new StreamRecord<>(request("a", 1, 2, 3), 13)); // re-processed: same token
            h.processElement(new StreamRecord<>(request("d", 1, 2, 3), 14)); // limit 2: prefix full

            assertThat(codes(h.extractOutputValues()))
                    .containsExactly("a=[1, 2, 3, 0]", "b=[1, 2, 3, 1]", "c=[1, 2, 4, 0]", "a=[1, 2, 3, 0]");
            ConcurrentLinkedQueue<StreamRecord<DeadLetter>> dead = h.getSideOutput(DeadLetterOutput.TAG);
            assertThat(dead).hasSize(1);
            DeadLetter letter = dead.peek().getValue();
            assertThat(letter.getErrorClass()).isEqualTo(DeadLetterFactory.PREFIX_FULL);
            assertThat(letter.getReason()).contains("v1/1-2-3");
            snapshot = h.snapshot(1, 100);
        }
        try (var restored = harness()) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(new StreamRecord<>(request("b", 1, 2, 3), 20));
            restored.processElement(new StreamRecord<>(request("e", 1, 2, 4), 21));

            assertThat(codes(restored.extractOutputValues())).containsExactly("b=[1, 2, 3, 1]", "e=[1, 2, 4, 1]");
        }
    }

    @Test
    void aRemovalLeavesAsATombstoneBehindItsVideosSidAndFreesNoToken() throws Exception {
        try (var h = harness()) {
            h.open();
            h.processElement(new StreamRecord<>(request("a", 1, 2, 3), 10));
            h.processElement(new StreamRecord<>(SidRequest.removal("a", "v1", new int[] {1, 2, 3}), 11));
            h.processElement(new StreamRecord<>(SidRequest.removal("never-assigned", null, null), 12));
            h.processElement(new StreamRecord<>(request("b", 1, 2, 3), 13));

            assertThat(codes(h.extractOutputValues()))
                    .containsExactly("a=[1, 2, 3, 0]", "tombstone a", "tombstone never-assigned", "b=[1, 2, 3, 1]");
        }
    }

    private static List<String> codes(List<Either<String, SidAssigned>> out) {
        return out.stream()
                .map(e -> e.isLeft()
                        ? "tombstone " + e.left()
                        : e.right().getVideoId() + "=" + e.right().getCodes())
                .toList();
    }
}
