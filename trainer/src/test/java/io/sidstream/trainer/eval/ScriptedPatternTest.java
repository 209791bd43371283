package io.sidstream.trainer.eval;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.sidstream.trainer.TestModels;
import io.sidstream.trainer.train.Budget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScriptedPatternTest {

    /** 120 videos with random SIDs; every user walks the same fixed successor chain from a random start. */
    @Test
    void learnsADeterministicSuccessorChainToHighRecall() {
        Random random = new Random(11);
        int videos = 120;
        Map<String, List<Integer>> sids = new HashMap<>();
        Set<List<Integer>> used = new HashSet<>();
        for (int v = 0; v < videos; v++) {
            List<Integer> sid;
            do {
                sid = List.of(random.nextInt(256), random.nextInt(256), random.nextInt(256), random.nextInt(4));
            } while (!used.add(sid));
            sids.put("v" + v, sid);
        }
        List<Integer> chain = new ArrayList<>();
        for (int v = 0; v < videos; v++) {
            chain.add(v);
        }
        java.util.Collections.shuffle(chain, random); // one cycle through every video, so no user sees a video twice
        List<Interaction> interactions = new ArrayList<>();
        for (int u = 0; u < 200; u++) {
            int position = random.nextInt(videos);
            for (int step = 0; step < 12; step++) {
                interactions.add(
                        new Interaction("u" + u, "v" + chain.get((position + step) % videos), 1000L * step + u));
            }
        }

        OfflineEvaluator.Report report = new OfflineEvaluator(
                        TestModels.small(), TestModels.training(), Budget.steps(300), Device.cpu(), 20)
                .run(interactions, sids);

        System.out.println("model " + report.model() + " popularity " + report.popularity() + " cooccurrence "
                + report.cooccurrence() + " training " + report.training());
        assertThat(report.model().cases()).isEqualTo(200);
        assertThat(report.model().recallAt10()).isGreaterThan(0.9);
        assertThat(report.model().recallAt10())
                .isGreaterThan(2 * report.popularity().recallAt10());
    }
}
