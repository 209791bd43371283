package io.sidstream.trainer.control;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.TrainerAction;
import io.sidstream.schemas.TrainerCommand;
import io.sidstream.schemas.serde.AvroWireSerializer;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Asks the running trainer of a model line for a cycle: one {@code RUN_CYCLE} record on {@code trainer-control}. */
public final class CycleRequestSender {

    private CycleRequestSender() {}

    /** Sends the request and waits until the broker has it; returns it. */
    public static TrainerCommand send(SidstreamConfig config, String requestedBy, String reason, Clock clock)
            throws ExecutionException, InterruptedException {
        String modelName = ControlConfig.from(config).modelName();
        TrainerCommand command = TrainerCommand.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setModelName(modelName)
                .setAction(TrainerAction.RUN_CYCLE)
                .setRequestedBy(requestedBy)
                .setReason(reason)
                .setRequestedTime(clock.instant())
                .build();
        try (KafkaProducer<String, TrainerCommand> producer = new KafkaProducer<>(
                config.kafka().producer("sidstream-trainer-control"),
                new StringSerializer(),
                AvroWireSerializer.create(config.registry(), TrainerCommand.class))) {
            producer.send(new ProducerRecord<>(Topic.TRAINER_CONTROL.topicName(), modelName, command))
                    .get();
        }
        return command;
    }
}
