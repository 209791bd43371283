package io.sidstream.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.util.Map;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.security.basicauth.BasicAuthCredentialProvider;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.security.basicauth.BasicAuthCredentialProviderFactory;
import org.junit.jupiter.api.Test;

/**
 * {@code registry.client.basic.auth.*} reaches a credential provider of the re-shaded client. The client finds its
 * providers through META-INF/services and, finding none, sends its requests without credentials instead of failing
 * (registry-it's real server caught that). Here, unlike in schemas, the raw Flink jar is not on the classpath.
 */
class RegistryClientCredentialsTest {

    @Test
    void userInfoFromTheConfigurationBecomesTheBasicAuthCredentials() {
        Map<String, String> client = ConfigLoader.withOverrides(Map.of(
                        "registry.client.basic.auth.credentials.source", "USER_INFO",
                        "registry.client.basic.auth.user.info", "alice:s3cret"))
                .registry()
                .clientProperties();

        BasicAuthCredentialProvider provider = BasicAuthCredentialProviderFactory.getBasicAuthCredentialProvider(
                client.get("basic.auth.credentials.source"), client);

        assertThat(provider).isNotNull();
        assertThat(provider.getUserInfo(null)).isEqualTo("alice:s3cret");
    }

    @Test
    void credentialsInTheRegistryUrlAreUsedWithSourceUrl() throws Exception {
        BasicAuthCredentialProvider provider =
                BasicAuthCredentialProviderFactory.getBasicAuthCredentialProvider("URL", Map.<String, Object>of());

        assertThat(provider).isNotNull();
        assertThat(provider.getUserInfo(new URL("http://bob:pw@registry:8081"))).isEqualTo("bob:pw");
    }
}
