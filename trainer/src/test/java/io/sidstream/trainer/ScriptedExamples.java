package io.sidstream.trainer;

import io.sidstream.schemas.TrainingExample;
import io.sidstream.trainer.data.Examples;
import io.sidstream.trainer.eval.Interaction;
import io.sidstream.trainer.eval.ScriptedWorld;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Training examples as the windows job would emit them (one per engagement), from the scripted world. */
public final class ScriptedExamples {

    private ScriptedExamples() {}

    /** One example per interaction that has at least one earlier interaction of its user, in time order. */
    public static List<TrainingExample> from(ScriptedWorld world, int maxHistory, String codebook) {
        Map<String, List<Interaction>> seen = new HashMap<>();
        List<TrainingExample> out = new ArrayList<>();
        for (Interaction i : world.interactions()) {
            List<Interaction> history = seen.computeIfAbsent(i.userId(), u -> new ArrayList<>());
            if (!history.isEmpty()) {
                List<Interaction> window = history.subList(Math.max(0, history.size() - maxHistory), history.size());
                out.add(Examples.example(i.userId(), List.copyOf(window), i, world.sids(), codebook));
            }
            history.add(i);
        }
        return out;
    }
}
