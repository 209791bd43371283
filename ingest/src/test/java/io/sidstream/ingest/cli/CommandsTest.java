package io.sidstream.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sidstream.core.config.ConfigLoader;
import io.sidstream.ingest.gateway.GatewayConfig;
import io.sidstream.ingest.world.WorldConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandsTest {

    @Test
    void commandsThatNeedKafkaExplainWhatToDoOnTheEmbeddedDefault() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ReplayCommand());
        cli.setErr(new PrintWriter(err));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(e.getMessage());
            return 1;
        });

        int rc = cli.execute("--format", "generic", "--items", "items.csv", "--interactions", "i.csv");

        assertThat(rc).isEqualTo(1);
        assertThat(err.toString()).contains("sidstream up").contains("kafka.bootstrap.servers=host:9092");
    }

    @Test
    void configurationIsReadAndCheckedWithTheKeyInTheMessage() {
        var ingest = ConfigLoader.defaults().section("ingest");
        assertThat(WorldConfig.from(ingest)).isEqualTo(WorldConfig.defaults());
        assertThatThrownBy(() -> GatewayConfig.from(
                        ConfigLoader.withOverrides(Map.of("ingest.gateway.max-in-flight-events", "5"))
                                .section("ingest")))
                .hasMessageContaining(
                        "ingest.gateway.max-in-flight-events (5) must be at least max-events-per-request");
        assertThatThrownBy(() -> WorldConfig.defaults().withNoise(1.5, 0, 0, 0))
                .hasMessageContaining("ingest.simulate.late-share must be between 0 and 1");
    }

    @Test
    void aPacedWorldOnKafkaStartsNowAndAnUnpacedOneAtItsConfiguredStart() {
        WorldConfig configured = WorldConfig.from(ConfigLoader.defaults().section("ingest"));
        java.time.Instant now = java.time.Instant.parse("2026-12-03T13:00:00Z");
        java.time.Clock clock = java.time.Clock.fixed(now, java.time.ZoneOffset.UTC);

        assertThat(SimulateCommand.onKafka(configured, true, clock).startTime()).isEqualTo(now);
        assertThat(SimulateCommand.onKafka(configured, false, clock).startTime())
                .isEqualTo(configured.startTime());
        io.sidstream.ingest.world.SyntheticWorld world =
                new io.sidstream.ingest.world.SyntheticWorld(SimulateCommand.onKafka(configured, true, clock));
        for (int i = 0; i < 2000; i++) {
            io.sidstream.ingest.world.WorldEvent event = world.next();
            if (!event.isUpload()) {
                // live engagements: at or after the start, never months before it
                assertThat(event.emittedAt()).isAfterOrEqualTo(now);
            }
        }
    }
}
