package io.sidstream.ingest.gateway;

import com.typesafe.config.Config;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the HTTP gateway ({@code ingest.gateway}) plus the embedding dimension it checks against.
 *
 * <p>Secure by default: the gateway binds to loopback unless configured otherwise, and an address other machines
 * can reach needs bearer tokens, or {@code allow-unauthenticated-remote = true} for a network that is protected some
 * other way: anyone who can reach an open gateway can write events that train the model.
 */
public record GatewayConfig(
        String host,
        int port,
        long maxRequestBytes,
        int maxEventsPerRequest,
        int maxInFlightEvents,
        Duration retryAfter,
        Duration maxClockSkew,
        List<String> authTokens,
        int embeddingDimension,
        boolean allowUnauthenticatedRemote) {

    public GatewayConfig(
            String host,
            int port,
            long maxRequestBytes,
            int maxEventsPerRequest,
            int maxInFlightEvents,
            Duration retryAfter,
            Duration maxClockSkew,
            List<String> authTokens,
            int embeddingDimension) {
        this(
                host,
                port,
                maxRequestBytes,
                maxEventsPerRequest,
                maxInFlightEvents,
                retryAfter,
                maxClockSkew,
                authTokens,
                embeddingDimension,
                false);
    }

    public GatewayConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("ingest.gateway.port must be 0..65535, was " + port);
        }
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException(
                    "ingest.gateway.max-request-size must be at least 1KiB, was " + maxRequestBytes);
        }
        if (maxEventsPerRequest < 1) {
            throw new IllegalArgumentException(
                    "ingest.gateway.max-events-per-request must be positive, was " + maxEventsPerRequest);
        }
        if (maxInFlightEvents < maxEventsPerRequest) {
            throw new IllegalArgumentException("ingest.gateway.max-in-flight-events (" + maxInFlightEvents
                    + ") must be at least max-events-per-request (" + maxEventsPerRequest
                    + "), or a full batch could never be admitted");
        }
        if (retryAfter.toSeconds() < 1) {
            throw new IllegalArgumentException("ingest.gateway.retry-after must be at least 1s, was " + retryAfter);
        }
        if (maxClockSkew.isNegative()) {
            throw new IllegalArgumentException("ingest.gateway.max-clock-skew must not be negative");
        }
        for (String token : authTokens) {
            if (token.length() < 16) {
                throw new IllegalArgumentException(
                        "ingest.gateway.auth-tokens: every token must have at least 16 characters");
            }
        }
        if (embeddingDimension < 1) {
            throw new IllegalArgumentException(
                    "ingest.embedding-dimension must be positive, was " + embeddingDimension);
        }
        authTokens = List.copyOf(authTokens);
        if (authTokens.isEmpty() && !allowUnauthenticatedRemote && !isLoopback(host)) {
            throw new IllegalArgumentException("ingest.gateway.host is " + host + ", reachable from other machines, "
                    + "but ingest.gateway.auth-tokens is empty: set tokens (e.g. SIDSTREAM_INGEST_GATEWAY_AUTH__TOKENS="
                    + "<token>[,<token>] from a secret), bind to 127.0.0.1, or set "
                    + "ingest.gateway.allow-unauthenticated-remote = true on a network protected another way");
        }
    }

    /** Whether {@code host} names only this machine (a name is resolved; an unknown one counts as remote). */
    static boolean isLoopback(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Reads {@code ingest.gateway} and {@code ingest.embedding-dimension} from the ingest section. */
    public static GatewayConfig from(Config ingest) {
        Config g = ingest.getConfig("gateway");
        return new GatewayConfig(
                g.getString("host"),
                g.getInt("port"),
                g.getBytes("max-request-size"),
                g.getInt("max-events-per-request"),
                g.getInt("max-in-flight-events"),
                g.getDuration("retry-after"),
                g.getDuration("max-clock-skew"),
                g.getStringList("auth-tokens"),
                ingest.getInt("embedding-dimension"),
                g.getBoolean("allow-unauthenticated-remote"));
    }

    public GatewayConfig withPort(int newPort) {
        return new GatewayConfig(
                host,
                newPort,
                maxRequestBytes,
                maxEventsPerRequest,
                maxInFlightEvents,
                retryAfter,
                maxClockSkew,
                authTokens,
                embeddingDimension,
                allowUnauthenticatedRemote);
    }

    @Override
    public String toString() {
        // tokens are secrets: never in logs
        return "GatewayConfig[host=" + host + ", port=" + port + ", maxRequestBytes=" + maxRequestBytes
                + ", maxEventsPerRequest=" + maxEventsPerRequest + ", maxInFlightEvents=" + maxInFlightEvents
                + ", retryAfter=" + retryAfter + ", authTokens=" + authTokens.size() + " configured]";
    }
}
