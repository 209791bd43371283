package io.sidstream.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TrainingSettingsTest {

    @Test
    void warmUpRisesLinearlyThenTheCosineEndsAtTheFloor() {
        TrainingSettings s = new TrainingSettings(64, 0.01f, 1f, 1, 0f, 10, true, 0.1f, 0f);

        assertThat(s.learningRateAt(0, 110)).isCloseTo(0.001f, within(1e-7f));
        assertThat(s.learningRateAt(9, 110)).isCloseTo(0.01f, within(1e-7f));
        assertThat(s.learningRateAt(10, 110)).isCloseTo(0.01f, within(1e-7f));
        assertThat(s.learningRateAt(60, 110)).as("halfway down the cosine").isCloseTo(0.0055f, within(1e-6f));
        assertThat(s.learningRateAt(110, 110)).isCloseTo(0.001f, within(1e-7f));
        assertThat(s.learningRateAt(500, 110))
                .as("past the plan it stays at the floor")
                .isCloseTo(0.001f, within(1e-7f));
    }

    @Test
    void theWidePartFollowsTheSameScheduleAtItsOwnPeak() {
        TrainingSettings s = new TrainingSettings(64, 0.002f, 1f, 1, 0f, 0, true, 0.1f, 0.1f);

        assertThat(s.wideLearningRateAt(0, 100)).isCloseTo(0.1f, within(1e-6f));
        assertThat(s.wideLearningRateAt(100, 100)).isCloseTo(0.01f, within(1e-6f));
        assertThat(new TrainingSettings(64, 0.002f, 1f, 1).wideLearningRateAt(5, 100))
                .isEqualTo(0.002f);
    }

    @Test
    void aConstantScheduleKeepsThePeakAfterWarmUp() {
        TrainingSettings s = new TrainingSettings(64, 0.002f, 1f, 1);

        assertThat(s.learningRateAt(0, 100)).isEqualTo(0.002f);
        assertThat(s.learningRateAt(99, 100)).isEqualTo(0.002f);
    }

    @Test
    void badValuesAreRefusedWithTheirKey() {
        assertThatThrownBy(() -> new TrainingSettings(64, 0.002f, 1f, 1, -1f, 0, false, 0.1f, 0f))
                .hasMessageContaining("weight-decay");
        assertThatThrownBy(() -> new TrainingSettings(64, 0.002f, 1f, 1, 0f, -1, false, 0.1f, 0f))
                .hasMessageContaining("warmup-steps");
        assertThatThrownBy(() -> new TrainingSettings(64, 0.002f, 1f, 1, 0f, 0, true, 1.5f, 0f))
                .hasMessageContaining("min-learning-rate-ratio");
    }
}
