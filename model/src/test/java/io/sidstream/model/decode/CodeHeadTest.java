package io.sidstream.model.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.block.WideFeatures;
import io.sidstream.model.config.ModelConfig;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Java code head against the engine's {@code stepLogits} + log-softmax. */
class CodeHeadTest {

    /** Java's log-probabilities renormalised over each row's allowed codes against the engine's full ones. */
    private static void assertRenormalised(float[] engine, float[] java, int[][] allowed, int v, int step) {
        for (int r = 0; r < allowed.length; r++) {
            double mass = 0;
            for (int code : allowed[r]) {
                mass += Math.exp(engine[r * v + code]);
            }
            for (int code : allowed[r]) {
                assertThat((double) java[r * v + code])
                        .as("step %d, row %d, code %d", step, r, code)
                        .isCloseTo(engine[r * v + code] - Math.log(mass), within(1e-4));
            }
        }
    }

    @Test
    void geluIsPyTorchsErfGelu() {
        float[] xs = new float[801];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = -8f + i * 0.02f;
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            float[] torch = Activation.gelu(manager.create(xs)).toFloatArray();
            for (int i = 0; i < xs.length; i++) {
                assertThat(Kernels.gelu(xs[i])).as("gelu(%s)", xs[i]).isCloseTo(torch[i], within(1e-6f));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.sidstream.model.decode.JavaDecodingFixtures#shapes")
    void logProbabilitiesMatchTheEngineAtEveryStep(ModelConfig shape) {
        List<Query> queries =
                JavaDecodingFixtures.queries(JavaDecodingFixtures.sids(new Random(31), 400), new Random(32), 6, 15);
        try (SidRecModel model = JavaDecodingFixtures.model(33, shape)) {
            CodeHead head = CodeHead.snapshot(model);
            Random random = new Random(34);
            try (NDManager manager = model.manager().newSubManager()) {
                ParameterStore ps = model.inferenceStore();
                NDArray states = QueryStates.encode(model, ps, manager, queries);
                float[] copied = states.toFloatArray();
                for (int step = 0; step < model.config().sidLength(); step++) {
                    int rows = 17;
                    int[] queryOf = new int[rows];
                    int[][] codes = new int[rows][model.config().sidLength()];
                    for (int r = 0; r < rows; r++) {
                        queryOf[r] = random.nextInt(queries.size());
                        for (int s = 0; s < step; s++) {
                            codes[r][s] = random.nextInt(model.config().stepVocabulary(s));
                        }
                    }
                    float[] engine = QueryStates.logProbs(
                            model,
                            ps,
                            manager,
                            QueryStates.rows(manager, states, queryOf),
                            QueryStates.prefix(model, ps, manager, codes, step),
                            codes,
                            step);
                    float[] java = head.logProbs(copied, queryOf, codes, step);

                    assertThat(java)
                            .hasSize(rows * model.config().stepVocabulary(step))
                            .hasSameSizeAs(engine);
                    double spread = 0;
                    for (int i = 0; i < java.length; i++) {
                        assertThat((double) java[i])
                                .as("step %d, entry %d", step, i)
                                .isCloseTo(engine[i], within(1e-4));
                        spread = Math.max(spread, Math.abs(engine[i] - engine[0]));
                    }
                    assertThat(spread)
                            .as("the test model's logits are not flat")
                            .isGreaterThan(1.0);

                    // restricted to a few codes (one dot product each) and to many (the whole product), renormalised
                    int v = model.config().stepVocabulary(step);
                    int[][] allowed = new int[rows][];
                    for (int r = 0; r < rows; r++) {
                        allowed[r] = random.ints(0, v)
                                .distinct()
                                .limit(r % 2 == 0 ? 1 + r % 5 : v / 2)
                                .sorted()
                                .toArray();
                    }
                    float[] restricted = head.logProbs(copied, queryOf, codes, allowed, step);
                    assertRenormalised(engine, restricted, allowed, v, step);
                    if (model.config().wideBuckets() > 0) {
                        // the wide part's weights of the allowed codes, from each query's most recent videos
                        RecentKeys recent = RecentKeys.of(model.config(), queries);
                        float[] wideEngine = QueryStates.logProbs(
                                model,
                                ps,
                                manager,
                                QueryStates.rows(manager, states, queryOf),
                                QueryStates.prefix(model, ps, manager, codes, step),
                                codes,
                                QueryStates.wideRows(model, manager, recent.wide(), queryOf, codes, allowed, step),
                                step);
                        float[] wideJava = head.logProbs(copied, queryOf, codes, allowed, step, recent);
                        assertRenormalised(wideEngine, wideJava, allowed, v, step);
                        if (step >= WideFeatures.FROM_STEP) {
                            assertThat(wideJava)
                                    .as("the wide weights change the scores")
                                    .isNotEqualTo(restricted);
                        }
                    }
                }
            }
        }
    }
}
