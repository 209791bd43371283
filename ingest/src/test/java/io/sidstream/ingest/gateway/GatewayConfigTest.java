package io.sidstream.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sidstream.core.config.ConfigLoader;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 23, finding 2: the gateway is closed by default and its tokens can be set every documented way. */
class GatewayConfigTest {

    private static final String ONE = "0123456789abcdef-one";
    private static final String TWO = "0123456789abcdef-two";

    private static GatewayConfig load(Map<String, String> env, Map<String, String> flags) {
        return GatewayConfig.from(
                ConfigLoader.load(Optional.empty(), env, flags).section("ingest"));
    }

    @Test
    void bindsToLoopbackByDefault() {
        GatewayConfig defaults = load(Map.of(), Map.of());
        assertThat(defaults.host()).isEqualTo("127.0.0.1");
        assertThat(defaults.authTokens()).isEmpty();
        assertThat(load(Map.of(), Map.of("ingest.gateway.host", "localhost")).host())
                .isEqualTo("localhost");
    }

    @Test
    void refusesAnAddressOtherMachinesReachWithoutTokensUnlessAllowed() {
        assertThatThrownBy(() -> load(Map.of(), Map.of("ingest.gateway.host", "0.0.0.0")))
                .hasMessageContaining("ingest.gateway.auth-tokens is empty")
                .hasMessageContaining("allow-unauthenticated-remote");
        assertThat(load(Map.of(), Map.of("ingest.gateway.host", "0.0.0.0", "ingest.gateway.auth-tokens", ONE))
                        .authTokens())
                .containsExactly(ONE);
        assertThat(load(
                                Map.of(),
                                Map.of(
                                        "ingest.gateway.host",
                                        "0.0.0.0",
                                        "ingest.gateway.allow-unauthenticated-remote",
                                        "true"))
                        .authTokens())
                .isEmpty();
    }

    @Test
    void tokensComeFromFlagsAsAListOrCommaSeparatedAndFromTheEnvironment() {
        assertThat(load(Map.of(), Map.of("ingest.gateway.auth-tokens", "[\"" + ONE + "\", \"" + TWO + "\"]"))
                        .authTokens())
                .containsExactly(ONE, TWO);
        assertThat(load(Map.of(), Map.of("ingest.gateway.auth-tokens", ONE + ", " + TWO))
                        .authTokens())
                .containsExactly(ONE, TWO);
        assertThat(load(Map.of("SIDSTREAM_INGEST_GATEWAY_AUTH__TOKENS", ONE), Map.of())
                        .authTokens())
                .containsExactly(ONE);
        assertThat(load(Map.of(), Map.of("ingest.gateway.auth-tokens", "")).authTokens())
                .isEmpty();
        assertThatThrownBy(() -> load(Map.of(), Map.of("ingest.gateway.auth-tokens", "[\"unclosed")))
                .hasMessageContaining("ingest.gateway.auth-tokens");
        assertThatThrownBy(() -> load(Map.of(), Map.of("ingest.gateway.auth-tokens", "short")))
                .hasMessageContaining("at least 16 characters");
        // a key that is not a list keeps its commas
        assertThat(ConfigLoader.withOverrides(Map.of("kafka.bootstrap.servers", "a:9092,b:9092"))
                        .kafka()
                        .bootstrapServers())
                .isEqualTo("a:9092,b:9092");
    }
}
