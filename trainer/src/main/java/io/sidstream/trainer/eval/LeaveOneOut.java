package io.sidstream.trainer.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The standard leave-one-out split: per user in time order, the last interaction is the test target, the one before
 * it the validation target, the rest is training data. Users with fewer than three interactions only train.
 */
public record LeaveOneOut(Map<String, List<Interaction>> train, List<EvalCase> validation, List<EvalCase> test) {

    public static LeaveOneOut split(List<Interaction> interactions) {
        Map<String, List<Interaction>> byUser = new LinkedHashMap<>();
        for (Interaction interaction : interactions) {
            byUser.computeIfAbsent(interaction.userId(), u -> new ArrayList<>()).add(interaction);
        }
        Map<String, List<Interaction>> train = new LinkedHashMap<>();
        List<EvalCase> validation = new ArrayList<>();
        List<EvalCase> test = new ArrayList<>();
        byUser.forEach((user, sequence) -> {
            sequence.sort(Comparator.comparingLong(Interaction::timeMillis));
            int n = sequence.size();
            if (n < 3) {
                train.put(user, List.copyOf(sequence));
                return;
            }
            train.put(user, List.copyOf(sequence.subList(0, n - 2)));
            validation.add(new EvalCase(user, List.copyOf(sequence.subList(0, n - 2)), sequence.get(n - 2)));
            test.add(new EvalCase(user, List.copyOf(sequence.subList(0, n - 1)), sequence.get(n - 1)));
        });
        return new LeaveOneOut(train, validation, test);
    }
}
