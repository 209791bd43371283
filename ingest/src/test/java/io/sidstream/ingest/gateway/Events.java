package io.sidstream.ingest.gateway;

import java.time.Instant;

/** JSON events for gateway tests. */
final class Events {

    static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private Events() {}

    static String engagement(String eventId, String userId) {
        return "{\"eventId\":\"" + eventId + "\",\"userId\":\"" + userId
                + "\",\"videoId\":\"v1\",\"eventType\":\"WATCH\","
                + "\"watchTimeMs\":30000,\"videoDurationMs\":60000,\"surface\":\"HOME\",\"device\":\"MOBILE\","
                + "\"country\":\"US\",\"eventTime\":" + NOW + "}";
    }

    static String upload(String videoId) {
        return "{\"videoId\":\"" + videoId + "\",\"creatorId\":\"c1\",\"title\":\"How to brew tea\",\"tags\":[\"tea\"],"
                + "\"durationMs\":120000,\"uploadTime\":\"2026-01-01T00:00:00Z\","
                + "\"contentEmbedding\":[0.1,0.2,0.3,0.4],\"embeddingModel\":\"test-4d\"}";
    }
}
