package io.sidstream.clusterit;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of the ingest gateway process, with its bearer token: what it sends is "accepted" only once Kafka has it;
 * events answered unavailable (a broker going away) are sent again, as the gateway's contract asks of clients.
 */
final class Gateway {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** Seconds the gateway has to accept a batch (one send a second). */
    private static final int ATTEMPTS = 20;

    private final int port;
    private final String token;

    Gateway(int port, String token) {
        this.port = port;
        this.token = token;
    }

    void awaitUp(Duration atMost) {
        await("the gateway answers")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> HTTP.send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/livez"))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200);
    }

    /** {@code n} uploads with text and no embedding (the job embeds them); returns the accepted video ids. */
    List<String> uploadTexts(String prefix, int n) throws Exception {
        ArrayNode events = JSON.createArrayNode();
        for (int i = 0; i < n; i++) {
            ObjectNode upload = events.addObject();
            upload.put("videoId", "gw-" + prefix + "-" + i);
            upload.put("creatorId", "gw-creator-" + (i % 7));
            upload.put(
                    "title",
                    "cluster test " + prefix + " video " + i + " about trains and " + (i % 5 == 0 ? "cats" : "rivers"));
            upload.put("description", "uploaded through the gateway while the test " + prefix);
            upload.putArray("tags").add("cluster-test").add(prefix);
            upload.put("durationMs", 60_000 + i);
            upload.put("uploadTime", Instant.now().toString());
        }
        return send("/v1/uploads", events, "videoId");
    }

    /** {@code n} likes of {@code videos} (positive by the default rule); returns the accepted event ids. */
    List<String> engagements(String prefix, int n, List<String> videos) throws Exception {
        ArrayNode events = JSON.createArrayNode();
        for (int i = 0; i < n; i++) {
            ObjectNode e = events.addObject();
            e.put("eventId", "gw-" + prefix + "-" + i);
            e.put("userId", "gw-user-" + (i % 9));
            e.put("videoId", videos.get(i % videos.size()));
            e.put("eventType", "LIKE");
            e.put("watchTimeMs", 30_000);
            e.put("videoDurationMs", 60_000);
            e.put("surface", "HOME");
            e.put("device", "MOBILE");
            e.put("country", "US");
            e.put("eventTime", Instant.now().toString());
        }
        return send("/v1/engagements", events, "eventId");
    }

    private List<String> send(String path, ArrayNode events, String idField) {
        List<String> accepted = new ArrayList<>();
        ArrayNode[] pending = {events};
        // a busy gateway answers 429 and an unavailable topic "unavailable": resend what is left once a second
        await(path + ": every event accepted")
                .atMost(Duration.ofSeconds(ATTEMPTS))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    pending[0] = sendOnce(path, pending[0], idField, accepted);
                    return pending[0].isEmpty();
                });
        return accepted;
    }

    /** Sends {@code events} once; returns those to send again (none when all were accepted). */
    private ArrayNode sendOnce(String path, ArrayNode events, String idField, List<String> accepted) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(events)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 429) {
            return events;
        }
        JsonNode answer = JSON.readTree(response.body());
        ArrayNode again = JSON.createArrayNode();
        for (JsonNode result : answer.get("results")) {
            JsonNode event = events.get(result.get("index").asInt());
            switch (result.get("status").asText()) {
                case "accepted" -> accepted.add(event.get(idField).asText());
                case "unavailable" -> again.add(event);
                default -> throw new AssertionError("the gateway rejected " + event + ": " + result);
            }
        }
        return again;
    }
}
