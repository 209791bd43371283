package io.sidstream.schemas.serde;

import java.util.Map;
import java.util.Objects;

/**
 * How to reach the Schema Registry.
 *
 * @param url              {@code http(s)://host:port[,...]} for a real registry, {@code mock://scope} for the
 *                         in-JVM mock registry (one shared registry per scope)
 * @param autoRegister     register a writer schema that the subject does not have yet; when off, the schema must
 *                         already be registered and serializing fails otherwise
 * @param clientProperties passed to the Confluent client as-is (e.g. {@code basic.auth.credentials.source},
 *                         {@code basic.auth.user.info}, {@code schema.registry.ssl.*})
 */
public record RegistryConfig(String url, boolean autoRegister, Map<String, String> clientProperties)
        implements java.io.Serializable {

    public RegistryConfig {
        Objects.requireNonNull(url, "registry url");
        if (url.isBlank()) {
            throw new IllegalArgumentException("registry url is empty");
        }
        clientProperties = Map.copyOf(clientProperties);
    }

    public static RegistryConfig mock(String scope) {
        return new RegistryConfig("mock://" + scope, true, Map.of());
    }

    public boolean isMock() {
        return url.startsWith("mock://");
    }

    /** The credentials are not part of the text form, so a config can be logged. */
    @Override
    public String toString() {
        return "RegistryConfig[url=" + url + ", autoRegister=" + autoRegister + ", clientProperties="
                + clientProperties.keySet() + "]";
    }
}
