package io.sidstream.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.testing.KafkaTestSupport;
import io.sidstream.ingest.publish.EventPublisher;
import io.sidstream.ingest.publish.PublishConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A gateway started with every kind of secret sidstream is given (its bearer tokens, the registry's basic-auth
 * credentials, a Kafka SASL login) and then used, rightly and wrongly, writes none of them to its logs: not in the
 * configuration Kafka's clients print at start, not in a rejected request's warning.
 */
class SecretsNotLoggedTest {

    private static final String TOKEN = "gateway-token-3f9c1a7e55d2";
    private static final String WRONG_TOKEN = "wrong-token-8b2e4d6f0a13c";
    private static final String REGISTRY_PASSWORD = "registry-password-71c0ae";
    private static final String SASL_PASSWORD = "sasl-password-5d41ba2f";

    @Test
    void noConfiguredSecretAppearsInTheLogs() {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        Logger sidstream = (Logger) LoggerFactory.getLogger("io.sidstream");
        Level sidstreamLevel = sidstream.getLevel();
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        // sidstream's own debug lines too: a secret must not be logged at any level
        sidstream.setLevel(Level.DEBUG);
        try (KafkaTestSupport kafka = KafkaTestSupport.startWithCatalogTopics()) {
            SidstreamConfig config = kafka.config(Map.of(
                    "ingest.embedding-dimension",
                    "4",
                    "ingest.gateway.auth-tokens",
                    TOKEN,
                    "registry.client.basic.auth.credentials.source",
                    "USER_INFO",
                    "registry.client.basic.auth.user.info",
                    "sidstream:" + REGISTRY_PASSWORD,
                    // no SASL listener here, so the login is only configured, as a client prints it at start
                    "kafka.sasl.mechanism",
                    "PLAIN",
                    "kafka.sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required "
                            + "username=\"sidstream\" password=\"" + SASL_PASSWORD + "\";"));
            try (EventPublisher publisher = new EventPublisher(
                            config.kafka(),
                            config.registry(),
                            PublishConfig.from(config.section("ingest")),
                            "secrets-test");
                    IngestGateway gateway = new IngestGateway(
                                    GatewayConfig.from(config.section("ingest")).withPort(0),
                                    publisher,
                                    java.time.Clock.systemUTC())
                            .start()) {
                HttpTestClient client = new HttpTestClient(gateway.port());
                assertThat(client.post("/v1/engagements", Events.engagement("e-1", "alice"), WRONG_TOKEN)
                                .status())
                        .isEqualTo(401);
                assertThat(client.post("/v1/engagements", Events.engagement("e-2", "bob"), null)
                                .status())
                        .isEqualTo(401);
                assertThat(client.post("/v1/engagements", "{not json", TOKEN).status())
                        .isEqualTo(400);
                assertThat(client.post("/v1/engagements", Events.engagement("e-3", "carol"), TOKEN)
                                .status())
                        .isIn(200, 400);
            }
        } finally {
            root.detachAppender(logs);
            sidstream.setLevel(sidstreamLevel);
        }

        List<String> lines =
                logs.list.stream().map(SecretsNotLoggedTest::render).toList();
        assertThat(lines).as("captured log lines").isNotEmpty();
        for (String secret : List.of(TOKEN, WRONG_TOKEN, REGISTRY_PASSWORD, SASL_PASSWORD)) {
            assertThat(lines).as("log lines holding %s", secret).noneMatch(line -> line.contains(secret));
        }
    }

    private static String render(ILoggingEvent event) {
        String line = event.getLoggerName() + " " + event.getFormattedMessage() + " " + event.getMDCPropertyMap();
        return event.getThrowableProxy() == null
                ? line
                : line + " " + ThrowableProxyUtil.asString(event.getThrowableProxy());
    }
}
