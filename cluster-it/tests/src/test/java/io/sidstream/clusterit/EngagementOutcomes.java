package io.sidstream.clusterit;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.core.topic.TopicScan;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.schemas.serde.AvroWireDeserializer;
import io.sidstream.schemas.serde.WireFormatException;
import io.sidstream.tokenizer.window.PositiveRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What became of every engagement on the engagements topic, read from the topics (read_committed): each event id is
 * one engagement (a re-sent copy carries the same id and is deduplicated by the job). A positive one (by the job's
 * rule) must end as exactly one training example or as a dead letter; none may have two examples; no example may
 * come from an engagement that is not positive or not on the topic.
 */
record EngagementOutcomes(
        int engagements,
        int positive,
        int withExample,
        int deadLetteredOnly,
        Map<String, Integer> deadLetterCauses,
        Map<String, Integer> deadLettersByMinute,
        List<String> lost,
        List<String> examplesTwice,
        List<String> examplesWithoutPositive) {

    static EngagementOutcomes read(SidstreamConfig config, PositiveRule rule) {
        Map<String, Engagement> firstById = new LinkedHashMap<>();
        try (AvroWireDeserializer<Engagement> decoder =
                AvroWireDeserializer.create(config.registry(), Engagement.class)) {
            TopicScan.all(config, Topic.ENGAGEMENTS.topicName(), r -> {
                if (r.value() == null) {
                    return;
                }
                try {
                    Engagement e = decoder.deserialize(r.topic(), r.value());
                    firstById.putIfAbsent(e.getEventId(), e);
                } catch (WireFormatException garbage) {
                    // not an engagement: the job dead-letters it, and it was never accepted as one
                }
            });
            Map<String, String> deadLettered = new HashMap<>();
            Map<String, String> deadLetterMinute = new HashMap<>();
            for (DeadLetter letter : TopicScan.values(config, Topic.ENGAGEMENTS.deadLetterTopic(), DeadLetter.class)) {
                if (letter.getPayload() == null) {
                    continue;
                }
                byte[] payload = new byte[letter.getPayload().remaining()];
                letter.getPayload().duplicate().get(payload);
                try {
                    deadLettered.put(
                            decoder.deserialize(Topic.ENGAGEMENTS.topicName(), payload)
                                    .getEventId(),
                            letter.getStage() + ": " + letter.getErrorClass());
                    deadLetterMinute.put(
                            decoder.deserialize(Topic.ENGAGEMENTS.topicName(), payload)
                                    .getEventId(),
                            letter.getFailedTime().toString().substring(11, 16));
                } catch (WireFormatException notAnEngagement) {
                    // garbage the job could not decode at all
                }
            }
            Map<String, Integer> examples = new HashMap<>();
            TopicScan.values(config, Topic.TRAINING_EXAMPLES.topicName(), TrainingExample.class)
                    .forEach(example -> examples.merge(example.getExampleId(), 1, Integer::sum));

            int positive = 0;
            int withExample = 0;
            int deadLetteredOnly = 0;
            Map<String, Integer> causes = new TreeMap<>();
            Map<String, Integer> byMinute = new TreeMap<>();
            List<String> lost = new ArrayList<>();
            for (Engagement e : firstById.values()) {
                if (!rule.isPositive(e)) {
                    continue;
                }
                positive++;
                if (examples.containsKey(e.getEventId())) {
                    withExample++;
                } else if (deadLettered.containsKey(e.getEventId())) {
                    deadLetteredOnly++;
                    causes.merge(deadLettered.get(e.getEventId()), 1, Integer::sum);
                    byMinute.merge(
                            deadLetterMinute.get(e.getEventId()) + " (event "
                                    + e.getEventTime().toString().substring(11, 16) + ")",
                            1,
                            Integer::sum);
                } else {
                    lost.add(e.getEventId());
                }
            }
            List<String> twice = examples.entrySet().stream()
                    .filter(x -> x.getValue() > 1)
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList();
            List<String> withoutPositive = examples.keySet().stream()
                    .filter(id -> !firstById.containsKey(id) || !rule.isPositive(firstById.get(id)))
                    .sorted()
                    .toList();
            return new EngagementOutcomes(
                    firstById.size(),
                    positive,
                    withExample,
                    deadLetteredOnly,
                    causes,
                    byMinute,
                    lost,
                    twice,
                    withoutPositive);
        }
    }
}
