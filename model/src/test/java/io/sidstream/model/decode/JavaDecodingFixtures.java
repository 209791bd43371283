package io.sidstream.model.decode;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.model.config.ModelShapes;
import io.sidstream.schemas.Device;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.HistoryItem;
import io.sidstream.schemas.RequestContext;
import io.sidstream.schemas.Surface;
import java.nio.FloatBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Seeded models, SIDs and queries for comparing the plain-Java decoding path with the engine's. */
final class JavaDecodingFixtures {

    private JavaDecodingFixtures() {}

    /**
     * A model whose parameters are drawn wide enough that logits differ clearly between codes (a fresh model's are
     * almost flat, which would let rounding decide between near ties).
     */
    static SidRecModel model(long seed) {
        return model(seed, ModelShapes.small());
    }

    /** The same for another model shape. */
    static SidRecModel model(long seed, ModelConfig config) {
        Engine.getInstance().setRandomSeed((int) seed);
        SidRecModel model = SidRecModel.create(config, "cb", ai.djl.Device.cpu());
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
        return List.of(ModelShapes.small(), ModelShapes.withItemBucketsAndWideHead());
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
            List<HistoryItem> history = new ArrayList<>();
            int length = q == 0 ? 0 : random.nextInt(maxHistory + 1); // the first: no history, the context alone
            long time = 0;
            long previous = -1;
            for (int i = 0; i < length; i++) {
                time += 1_000L * random.nextInt(100_000); // gaps of every bucket
                String video = "v" + random.nextInt(sids.size());
                history.add(HistoryItem.newBuilder()
                        .setVideoId(video)
                        .setSid(sids.get(video))
                        .setEventType(EventType.WATCH)
                        .setWatchBucket(0)
                        .setSurface(Surface.HOME)
                        .setDevice(Device.OTHER)
                        .setTimeGapBucket(gapBucket(previous < 0 ? 0 : time - previous))
                        .setEventTime(Instant.ofEpochMilli(time))
                        .build());
                previous = time;
            }
            long now = 3_600_000L * q;
            RequestContext context = RequestContext.newBuilder()
                    .setSurface(Surface.HOME)
                    .setDevice(Device.OTHER)
                    .setCountry("ZZ")
                    .setHourOfDay((int) ((now / 3_600_000L) % 24))
                    .setContextVideoId(null)
                    .build();
            queries.add(new Query(context, history, Set.of("v" + random.nextInt(sids.size()))));
        }
        return queries;
    }

    /** log2 of the gap in minutes, as the windows job and the trainer's examples bucket it. */
    private static int gapBucket(long gapMillis) {
        long minutes = Math.max(0, gapMillis / 60_000L);
        return minutes == 0 ? 0 : 1 + (63 - Long.numberOfLeadingZeros(minutes));
    }
}
