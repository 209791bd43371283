package io.sidstream.model.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.config.ModelConfig;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Java transformer's last states against the engine's full pass. */
class LastStateEncoderTest {

    @ParameterizedTest
    @MethodSource("io.sidstream.model.decode.JavaDecodingFixtures#shapes")
    void lastStatesMatchTheEngineForEveryHistoryLength(ModelConfig shape) {
        // up to 30 items against a model that reads 20: empty, short, full and truncated histories
        List<Query> queries =
                JavaDecodingFixtures.queries(JavaDecodingFixtures.sids(new Random(51), 500), new Random(52), 40, 30);
        assertThat(queries)
                .anySatisfy(q -> assertThat(q.history()).isEmpty())
                .anySatisfy(q -> assertThat(q.history()).hasSizeGreaterThan(20));
        try (SidRecModel model = JavaDecodingFixtures.model(53, shape);
                NDManager manager = model.manager().newSubManager()) {
            float[] engine = QueryStates.encode(model, model.inferenceStore(), manager, queries)
                    .toFloatArray();
            float[] java = LastStateEncoder.snapshot(model).encode(queries);

            assertThat(java)
                    .hasSameSizeAs(engine)
                    .hasSize(queries.size() * model.config().dModel());
            double spread = 0;
            for (int i = 0; i < java.length; i++) {
                assertThat((double) java[i]).as("entry %d", i).isCloseTo(engine[i], within(1e-4));
                spread = Math.max(spread, Math.abs(engine[i]));
            }
            assertThat(spread).as("states are not all near zero").isGreaterThan(0.5);
        }
    }
}
