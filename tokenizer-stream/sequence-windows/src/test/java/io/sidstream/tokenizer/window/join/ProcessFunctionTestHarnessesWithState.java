package io.sidstream.tokenizer.window.join;

import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.VideoRemoved;
import io.sidstream.schemas.serde.RegistryConfig;
import io.sidstream.tokenizer.window.WindowsConfig;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.types.Either;

/** A join harness started from a snapshot, as a restarted job would be. */
final class ProcessFunctionTestHarnessesWithState {

    private ProcessFunctionTestHarnessesWithState() {}

    static KeyedTwoInputStreamOperatorTestHarness<
                    String, SourcedEngagement, Either<SidAssigned, VideoRemoved>, ResolvedEngagement>
            restore(WindowsConfig config, OperatorSubtaskState snapshot) throws Exception {
        return restore(config, snapshot, new HashMapStateBackend());
    }

    /** The same on {@code backend}: the one the snapshot was taken on (a cluster's is RocksDB). */
    static KeyedTwoInputStreamOperatorTestHarness<
                    String, SourcedEngagement, Either<SidAssigned, VideoRemoved>, ResolvedEngagement>
            restore(WindowsConfig config, OperatorSubtaskState snapshot, StateBackend backend) throws Exception {
        KeyedTwoInputStreamOperatorTestHarness<
                        String, SourcedEngagement, Either<SidAssigned, VideoRemoved>, ResolvedEngagement>
                harness = new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new SidJoin(
                                config, new EngagementRejections(RegistryConfig.mock("sid-join-test"), "test"))),
                        sourced -> sourced.engagement.getVideoId(),
                        change -> change.isLeft()
                                ? change.left().getVideoId()
                                : change.right().getVideoId(),
                        Types.STRING);
        harness.setStateBackend(backend);
        harness.setup();
        harness.initializeState(snapshot);
        harness.open();
        return harness;
    }
}
