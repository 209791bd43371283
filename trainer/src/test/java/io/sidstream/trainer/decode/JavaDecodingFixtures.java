package io.sidstream.trainer.decode;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import io.sidstream.trainer.TestModels;
import io.sidstream.trainer.data.Examples;
import io.sidstream.trainer.eval.Interaction;
import io.sidstream.trainer.model.ModelConfig;
import io.sidstream.trainer.model.SidRecModel;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Seeded models, SIDs and queries for comparing the plain-Java decoding path with the engine's. */
final class JavaDecodingFixtures {

    private JavaDecodingFixtures() {
    }

    /**
     * A model whose parameters are drawn wide enough that logits differ clearly between codes (a fresh model's are
     * almost flat, which would let rounding decide between near ties).
     */
    static SidRecModel model(long seed) {
        return model(seed, TestModels.small());
    }

    /** The same for another model shape. */
    static SidRecModel model(long seed, ModelConfig config) {
        Engine.getInstance().setRandomSeed((int) seed);
        SidRecModel model = SidRecModel.create(config, "cb", Device.cpu());
        Random random = new Random(seed);
        model.block().getParameters().forEach(p -> {
            NDArray array = p.getValue().getArray();
            boolean gamma = p.getKey().contains("gamma");
            float[] values = new float[(int) array.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * (gamma ? 1 : 0.3)) + (gamma ? 1 : 0);
            }
            array.set(FloatBuffer.wrap(values));
        });
        return model;
    }

    /** The shapes the Java path must match the engine on: the small default, and one with every optional part. */
    static List<ModelConfig> shapes() {
        return List.of(TestModels.small(), TestModels.withItemBucketsAndWideHead());
    }

    static Map<String, List<Integer>> sids(Random random, int count) {
        Map<String, List<Integer>> sids = new LinkedHashMap<>();
        Set<List<Integer>> used = new HashSet<>();
        while (sids.size() < count) {
            // few first-level codes, so beams share prefixes and several branch under one node
            List<Integer> sid = List.of(random.nextInt(8), random.nextInt(256), random.nextInt(256), random.nextInt(4));
            if (used.add(sid)) {
                sids.put("v" + sids.size(), sid);
            }
        }
        return sids;
    }

    /** Queries with histories of 0 (the first) to {@code maxHistory} items, one excluded video each. */
    static List<Query> queries(Map<String, List<Integer>> sids, Random random, int count, int maxHistory) {
        List<Query> queries = new ArrayList<>();
        for (int q = 0; q < count; q++) {
            List<Interaction> history = new ArrayList<>();
            int length = q == 0 ? 0 : random.nextInt(maxHistory + 1); // the first: no history, the context alone
            long time = 0;
            for (int i = 0; i < length; i++) {
                time += 1_000L * random.nextInt(100_000); // gaps of every bucket
                history.add(new Interaction("u", "v" + random.nextInt(sids.size()), time));
            }
            queries.add(new Query(Examples.neutralContext(3_600_000L * q), Examples.history(history, sids),
                    Set.of("v" + random.nextInt(sids.size()))));
        }
        return queries;
    }
}
