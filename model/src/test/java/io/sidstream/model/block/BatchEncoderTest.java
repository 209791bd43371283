package io.sidstream.model.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.sidstream.model.block.TestExamples.Watch;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.model.config.TokenLayout;
import io.sidstream.model.decode.SidTrie;
import io.sidstream.schemas.HistoryItem;
import io.sidstream.schemas.RequestContext;
import io.sidstream.schemas.TrainingExample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchEncoderTest {

    private static final ModelConfig CONFIG = io.sidstream.model.config.ModelShapes.withItemBucketsAndWideHead();

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
        assertThat(layout.itemToken("v2"))
                .as("stable")
                .isEqualTo(new TokenLayout(CONFIG).itemToken("v2"))
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
            float[] padded =
                    lastState(model, manager, encoder.encodeQueries(contexts(2), List.of(shortHistory, longHistory)));

            for (int i = 0; i < alone.length; i++) {
                assertThat(padded[i]).as("entry %d", i).isCloseTo(alone[i], within(1e-5f));
            }
        }
    }

    @Test
    void eachStepsSoftmaxIsOverTheChildrenOfTheTargetsPathWithWideFeaturesBelowTheFirstCode() {
        Map<String, List<Integer>> sids = sids(30);
        SidTrie trie = trie(sids);
        TrainingExample example = v0v3v6v9ThenV14(sids);

        BatchEncoder.Encoded encoded =
                new BatchEncoder(CONFIG).encodeTraining(List.of(example), trie, TransitionPrior.empty(CONFIG));

        assertThat(encoded.rows())
                .as("one row per history item: each predicts the next")
                .isEqualTo(4);
        for (int step = 0; step < CONFIG.sidLength(); step++) {
            BatchEncoder.StepCandidates candidates = encoded.steps[step];
            for (int r = 0; r < encoded.rows(); r++) {
                int[] codes = java.util.Arrays.copyOfRange(
                        encoded.rowCodes, r * CONFIG.sidLength(), (r + 1) * CONFIG.sidLength());
                SidTrie.Node node = trie.root();
                for (int s = 0; s < step; s++) {
                    node = node.child(codes[s]);
                }
                int[] children = node.codes();
                int[] slots = java.util.Arrays.copyOfRange(
                        candidates.codes, r * candidates.width, r * candidates.width + children.length);
                assertThat(slots).as("row %d, step %d", r, step).containsExactly(children);
                assertThat(children[candidates.target[r]]).isEqualTo(codes[step]);
                for (int k = children.length; k < candidates.width; k++) {
                    assertThat(candidates.mask[r * candidates.width + k]).isEqualTo(BatchEncoder.NOT_A_CANDIDATE);
                }
            }
            assertThat(candidates.wide == null)
                    .as("wide features from step %d on", WideFeatures.FROM_STEP)
                    .isEqualTo(step < WideFeatures.FROM_STEP);
        }
        // the last row predicts the target from the most recent items: v9, v6 (the test model crosses two)
        BatchEncoder.StepCandidates second = encoded.steps[1];
        int last = encoded.rows() - 1;
        int[] codes = java.util.Arrays.copyOfRange(
                encoded.rowCodes, last * CONFIG.sidLength(), (last + 1) * CONFIG.sidLength());
        for (int m = 0; m < CONFIG.wideItems(); m++) {
            long node = WideFeatures.nodeKey(WideFeatures.itemKey(m, "v" + (9 - 3 * m)), 1, codes);
            assertThat(second.wide[(last * second.wideItems + m) * second.width + second.target[last]])
                    .isEqualTo(WideFeatures.bucket(node, codes[1], CONFIG.wideBuckets()));
        }
    }

    @Test
    void theTransitionPriorCountsTransitionsAndLeavesEachRowsOwnOut() {
        Map<String, List<Integer>> sids = sids(30);
        SidTrie trie = trie(sids);
        TrainingExample example = v0v3v6v9ThenV14(sids);
        // another user also watched v14 right after v9
        TrainingExample other =
                TestExamples.example("w", List.of(new Watch("v9", 0L)), new Watch("v14", 60_000L), sids, "cb");
        TransitionPrior prior = TransitionPrior.empty(CONFIG);
        prior.addEveryTransition(List.of(example, other));
        // v0 v3 v6 v9 v14 and v9 v14, within the 2 most recent items: 4 + 3 + 1 pairs at distance 1, 3 at distance 2
        assertThat(prior.total()).isCloseTo(CONFIG.sidLength() * (5 + 3 * 0.5), within(1e-3));

        BatchEncoder.Encoded encoded = new BatchEncoder(CONFIG).encodeTraining(List.of(example), trie, prior);

        // the last row predicts v14 from v9 (weight 1) and v6 (weight 1/2): v9 -> v14 counted twice at distance 1,
        // v6 -> v14 once at distance 2 (1/2), so a score of 2 + 1/2 x 1/2, less this row's own 1 + 1/2 x 1/2; the
        // prior is log(videos below the candidate + weight x score): 5 videos share v14's first code, one each below
        int last = encoded.rows() - 1;
        for (int step = 0; step < CONFIG.sidLength(); step++) {
            BatchEncoder.StepCandidates candidates = encoded.steps[step];
            int below = step == 0 ? 5 : 1;
            assertThat(candidates.prior[last * candidates.width + candidates.target[last]])
                    .as("step %d", step)
                    .isCloseTo((float) Math.log(below + CONFIG.transitionWeight()), within(1e-5f));
        }
        // v0 -> v3 only in this row: nothing left of it, the prior is log(1)
        assertThat(encoded.steps[3].prior[encoded.steps[3].target[0]]).isZero();
    }

    private static SidTrie trie(Map<String, List<Integer>> sids) {
        SidTrie trie = new SidTrie(CONFIG.sidLength());
        sids.forEach(trie::add);
        return trie;
    }

    /** User u watched v0, v3, v6, v9, then v14 (the target). */
    private static TrainingExample v0v3v6v9ThenV14(Map<String, List<Integer>> sids) {
        List<Watch> history = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            history.add(new Watch("v" + (3 * i), 60_000L * i));
        }
        return TestExamples.example("u", history, new Watch("v14", 300_000L), sids, "cb");
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
        List<Watch> interactions = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            interactions.add(new Watch("v" + (first + (i * 2 % length)), 60_000L * i));
        }
        return TestExamples.history(interactions, sids);
    }

    private static List<RequestContext> contexts(int n) {
        List<RequestContext> contexts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            contexts.add(TestExamples.neutralContext(0));
        }
        return contexts;
    }
}
