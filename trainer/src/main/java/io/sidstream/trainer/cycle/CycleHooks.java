package io.sidstream.trainer.cycle;

import io.sidstream.model.block.SidRecModel;
import io.sidstream.schemas.TrainingExample;
import java.util.List;

/** Observation points of a cycle, for tests (crash injection, exactly-once accounting) and metrics. */
public interface CycleHooks {

    CycleHooks NONE = new CycleHooks() {};

    /**
     * Training finished, nothing is evaluated or written yet: a crash here must lose nothing and count nothing twice.
     * Tests may also alter the candidate here (a deliberately worse model for the gate).
     */
    default void afterTraining(SidRecModel candidate, List<TrainingExample> trainedNew) {}

    /** The cycle's checkpoint is durable: {@code trainedNew} now count as trained, {@code holdout} as pending. */
    default void committed(CycleResult result, List<TrainingExample> trainedNew, List<TrainingExample> holdout) {}
}
