package io.sidstream.trainer.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.sidstream.schemas.HistoryItem;
import io.sidstream.schemas.RequestContext;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.trainer.TestModels;
import io.sidstream.trainer.decode.SidTrie;
import io.sidstream.trainer.eval.Interaction;
import io.sidstream.trainer.model.ModelConfig;
import io.sidstream.trainer.model.SidRecModel;
import io.sidstream.trainer.model.TokenLayout;
import io.sidstream.trainer.model.WideFeatures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchEncoderTest {

    private static final ModelConfig CONFIG = TestModels.withItemBucketsAndWideHead();

    @Test
    void aBatchIsPaddedToItsLongestHistoryAndEachItemCarriesItsHashedId() {
        Map<String, List<Integer>> sids = sids(30);
        BatchEncoder encoder = new BatchEncoder(CONFIG);
        List<List<HistoryItem>> histories = List.of(history(sids, 0, 3), history(sids, 5, 7));

        BatchEncoder.Encoded encoded = encoder.encodeQueries(contexts(2), histories);

        assertThat(encoded.length()).as("the longest history and its context").isEqualTo(8);
        assertThat(encoded.positions()).isEqualTo(4 + 8);
        TokenLayout layout = new TokenLayout(CONFIG);
        int slots = layout.slots();
        int last = (0 * encoded.length() + encoded.length() - 1) * slots; // first query, its latest item
        String latest = histories.get(0).get(2).getVideoId();
        assertThat(encoded.tokens()[last + slots - 1]).isEqualTo(layout.itemToken(latest));
        assertThat(layout.itemToken("v2")).as("stable").isEqualTo(new TokenLayout(CONFIG).itemToken("v2"))
                .isNotEqualTo(layout.itemToken("v3"));
        assertThat(encoded.keyMask()[0]).as("the short query is left-padded").isZero();
    }

    @Test
    void aSequenceGetsTheSameStatesWhateverTheBatchIsPaddedTo() {
        Map<String, List<Integer>> sids = sids(60);
        List<HistoryItem> shortHistory = history(sids, 0, 4);
        List<HistoryItem> longHistory = history(sids, 10, 19);
        Engine.getInstance().setRandomSeed(5);
        try (SidRecModel model = SidRecModel.create(CONFIG, "cb", Device.cpu());
             NDManager manager = model.manager().newSubManager()) {
            BatchEncoder encoder = new BatchEncoder(CONFIG);
            float[] alone = lastState(model, manager, encoder.encodeQueries(contexts(1), List.of(shortHistory)));
            float[] padded = lastState(model, manager,
                    encoder.encodeQueries(contexts(2), List.of(shortHistory, longHistory)));

            for (int i = 0; i < alone.length; i++) {
                assertThat(padded[i]).as("entry %d", i).isCloseTo(alone[i], within(1e-5f));
            }
        }
    }

    @Test
    void eachStepsSoftmaxIsOverTheChildrenOfTheTargetsPathWithWideFeaturesBelowTheFirstCode() {
        Map<String, List<Integer>> sids = sids(30);
        SidTrie trie = new SidTrie(CONFIG.sidLength());
        sids.forEach(trie::add);
        List<Interaction> history = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            history.add(new Interaction("u", "v" + (3 * i), 60_000L * i));
        }
        TrainingExample example = Examples.example("u", history, new Interaction("u", "v14", 300_000L), sids, "cb");

        BatchEncoder.Encoded encoded = new BatchEncoder(CONFIG).encodeTraining(List.of(example), trie);

        assertThat(encoded.rows()).as("one row per history item: each predicts the next").isEqualTo(4);
        for (int step = 0; step < CONFIG.sidLength(); step++) {
            BatchEncoder.StepCandidates candidates = encoded.steps[step];
            for (int r = 0; r < encoded.rows(); r++) {
                int[] codes = java.util.Arrays.copyOfRange(encoded.rowCodes, r * CONFIG.sidLength(),
                        (r + 1) * CONFIG.sidLength());
                SidTrie.Node node = trie.root();
                for (int s = 0; s < step; s++) {
                    node = node.child(codes[s]);
                }
                int[] children = node.codes();
                int[] slots = java.util.Arrays.copyOfRange(candidates.codes, r * candidates.width,
                        r * candidates.width + children.length);
                assertThat(slots).as("row %d, step %d", r, step).containsExactly(children);
                assertThat(children[candidates.target[r]]).isEqualTo(codes[step]);
                for (int k = children.length; k < candidates.width; k++) {
                    assertThat(candidates.mask[r * candidates.width + k]).isEqualTo(BatchEncoder.NOT_A_CANDIDATE);
                }
            }
            assertThat(candidates.wide == null).as("wide features from step %d on", WideFeatures.FROM_STEP)
                    .isEqualTo(step < WideFeatures.FROM_STEP);
        }
        // the last row predicts the target from the most recent items: v9, v6 (the test model crosses two)
        BatchEncoder.StepCandidates second = encoded.steps[1];
        int last = encoded.rows() - 1;
        int[] codes = java.util.Arrays.copyOfRange(encoded.rowCodes, last * CONFIG.sidLength(),
                (last + 1) * CONFIG.sidLength());
        for (int m = 0; m < CONFIG.wideItems(); m++) {
            long node = WideFeatures.nodeKey(WideFeatures.itemKey(m, "v" + (9 - 3 * m)), 1, codes);
            assertThat(second.wide[(last * second.wideItems + m) * second.width + second.target[last]])
                    .isEqualTo(WideFeatures.bucket(node, codes[1], CONFIG.wideBuckets()));
        }
    }

    private static float[] lastState(SidRecModel model, NDManager manager, BatchEncoder.Encoded encoded) {
        NDList inputs = encoded.toQuery(manager);
        NDArray states = model.block().encode(model.inferenceStore(), inputs.get(0), inputs.get(1), false);
        return states.get(":, -1, :").toFloatArray();
    }

    private static Map<String, List<Integer>> sids(int count) {
        Map<String, List<Integer>> sids = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            sids.put("v" + i, List.of(i % 7, i, (3 * i) % 256, 0));
        }
        return sids;
    }

    private static List<HistoryItem> history(Map<String, List<Integer>> sids, int first, int length) {
        List<Interaction> interactions = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            interactions.add(new Interaction("u", "v" + (first + (i * 2 % length)), 60_000L * i));
        }
        return Examples.history(interactions, sids);
    }

    private static List<RequestContext> contexts(int n) {
        List<RequestContext> contexts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            contexts.add(Examples.neutralContext(0));
        }
        return contexts;
    }
}
