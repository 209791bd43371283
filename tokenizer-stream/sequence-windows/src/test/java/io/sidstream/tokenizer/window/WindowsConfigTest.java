package io.sidstream.tokenizer.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sidstream.core.config.ConfigLoader;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.EventType;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowsConfigTest {

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        WindowsConfig config = WindowsConfig.defaults();
        assertThat(config.historyLength()).isEqualTo(50);
        assertThat(config.unresolvedTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.positiveRule().minWatchFraction()).isEqualTo(0.5);
        assertThat(config.positiveRule().eventTypes()).containsExactlyInAnyOrder(EventType.LIKE, EventType.SHARE);
        assertThat(config.entersHistory(EventType.IMPRESSION)).isFalse();
        assertThat(config.entersHistory(EventType.SKIP)).isTrue();
        assertThat(config.fileSinkEnabled()).isFalse();
    }

    @Test
    void badValuesAreRejectedWithTheirKey() {
        assertThatThrownBy(() -> WindowsConfig.from(ConfigLoader.withOverrides(Map.of("windows.history-length", "0"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("windows.history-length");
        assertThatThrownBy(() -> WindowsConfig.from(
                        ConfigLoader.withOverrides(Map.of("windows.positive.event-types", "[LOVE]"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("windows.positive.event-types");
        assertThatThrownBy(() -> WindowsConfig.from(
                        ConfigLoader.withOverrides(Map.of("windows.positive.min-watch-fraction", "1.5"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("min-watch-fraction");
        assertThatThrownBy(() -> ConfigLoader.withOverrides(Map.of("windows.histroy-length", "3")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("windows.histroy-length");
    }

    @Test
    void thePositiveRuleTakesTheWatchFractionOrAnExplicitSignal() {
        PositiveRule rule = WindowsConfig.defaults().positiveRule();
        assertThat(rule.isPositive(Fixtures.watch("e", "u", "v", 0.5, 0))).isTrue();
        assertThat(rule.isPositive(Fixtures.watch("e", "u", "v", 0.49, 0))).isFalse();
        assertThat(rule.isPositive(Fixtures.like("e", "u", "v", 0))).isTrue();
        Engagement unknownDuration = Fixtures.watch("e", "u", "v", 0.9, 0);
        unknownDuration.setVideoDurationMs(0L);
        assertThat(rule.isPositive(unknownDuration)).isFalse();
    }
}
