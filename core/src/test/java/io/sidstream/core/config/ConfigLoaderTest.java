package io.sidstream.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void partitionOverridesFromFlagsAreNumbersToo() {
        SidstreamConfig config = ConfigLoader.load(
                java.util.Optional.empty(),
                Map.of("SIDSTREAM_TOPICS_PARTITIONS_VIDEO__UPLOADS", "12"),
                Map.of("topics.partitions.engagements", "48"));

        assertThat(config.topics().partitions())
                .containsEntry("engagements", 48)
                .containsEntry("video-uploads", 12);
    }

    @Test
    void defaultsPointAtTheEmbeddedServices() {
        SidstreamConfig config = ConfigLoader.defaults();
        assertThat(config.embeddedKafka()).isTrue();
        assertThat(config.registry().isMock()).isTrue();
        assertThat(config.registry().autoRegister()).isTrue();
        assertThat(config.topics().replicationFactor()).isEqualTo((short) 1);
        assertThat(config.embedded().kafkaPort()).isEqualTo(9092);
    }

    @Test
    void fileThenEnvironmentThenFlagsEachOverrideTheOneBefore() throws Exception {
        Path file = dir.resolve("sidstream.conf");
        Files.writeString(file, """
                kafka.bootstrap.servers = "file:9092"
                registry.url = "http://file-registry:8081"
                topics.replication-factor = 3
                embedded.kafka-port = 19092
                """);
        Map<String, String> env = Map.of(
                "SIDSTREAM_REGISTRY_URL", "http://env-registry:8081",
                "SIDSTREAM_TOPICS_REPLICATION__FACTOR", "2",
                "SIDSTREAM_KAFKA_BOOTSTRAP_SERVERS", "env:9092",
                "PATH", "/usr/bin");
        Map<String, String> flags = Map.of("kafka.bootstrap.servers", "flag:9092");

        SidstreamConfig config = ConfigLoader.load(Optional.of(file), env, flags);

        assertThat(config.kafka().bootstrapServers()).isEqualTo("flag:9092");
        assertThat(config.registry().url()).isEqualTo("http://env-registry:8081");
        assertThat(config.topics().replicationFactor()).isEqualTo((short) 2);
        assertThat(config.embedded().kafkaPort()).isEqualTo(19092);
        assertThat(config.embeddedKafka()).isFalse();
    }

    @Test
    void everyKafkaKeyPassesThroughToTheClientsSoSecuredClustersWork() {
        SidstreamConfig config = ConfigLoader.withOverrides(Map.of(
                "kafka.bootstrap.servers", "broker:9093",
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.ssl.truststore.location", "/etc/kafka/truststore.jks",
                "registry.client.basic.auth.credentials.source", "USER_INFO"));

        Map<String, Object> producer = config.kafka().producer("p");
        assertThat(producer)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.jks")
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true");
        assertThat(config.kafka().consumer("g"))
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("enable.auto.commit", "false");
        assertThat(config.registry().clientProperties()).containsEntry("basic.auth.credentials.source", "USER_INFO");
    }

    @Test
    void credentialsNeverAppearInTheRegistryConfigsTextForm() {
        SidstreamConfig config =
                ConfigLoader.withOverrides(Map.of("registry.client.basic.auth.user.info", "alice:s3cret"));
        assertThat(config.registry().toString()).doesNotContain("s3cret").contains("basic.auth.user.info");
    }

    @Test
    void unknownKeysAreRejectedWithTheirOrigin() {
        assertThatThrownBy(() -> ConfigLoader.withOverrides(Map.of("topics.replication-factr", "3")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown configuration keys: topics.replication-factr")
                .hasMessageContaining("command-line overrides");
    }

    @Test
    void wrongTypesAndMissingFilesAreClearErrors() {
        assertThatThrownBy(() -> ConfigLoader.withOverrides(Map.of("embedded.kafka-port", "ninety")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("embedded.kafka-port");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(dir.resolve("missing.conf")), Map.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void environmentNamesMapToKeys() {
        assertThat(ConfigLoader.fromEnvironment(Map.of(
                        "SIDSTREAM_KAFKA_BOOTSTRAP_SERVERS", "a",
                        "SIDSTREAM_REGISTRY_AUTO__REGISTER", "false",
                        "HOME", "/root")))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("kafka.bootstrap.servers", "a", "registry.auto-register", "false"));
    }
}
