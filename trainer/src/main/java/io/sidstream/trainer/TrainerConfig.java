package io.sidstream.trainer;

import com.typesafe.config.Config;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.trainer.cycle.CycleConfig;
import io.sidstream.trainer.train.TrainingSettings;
import java.nio.file.Path;

/** The {@code trainer} section, typed and validated. */
public record TrainerConfig(
        String device,
        ModelConfig model,
        TrainingSettings training,
        CycleConfig cycle,
        Path checkpointDir,
        int checkpointRetain) {

    public TrainerConfig {
        if (checkpointRetain < 1) {
            throw new IllegalArgumentException("trainer.checkpoint.retain must be >= 1, got " + checkpointRetain);
        }
    }

    public static TrainerConfig from(SidstreamConfig config) {
        Config trainer = config.section("trainer");
        return new TrainerConfig(
                trainer.getString("device"),
                ModelConfig.from(trainer.getConfig("model")),
                TrainingSettings.from(trainer.getConfig("training")),
                CycleConfig.from(trainer.getConfig("cycle")),
                Path.of(trainer.getString("checkpoint.dir")),
                trainer.getInt("checkpoint.retain"));
    }
}
