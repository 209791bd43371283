package io.sidstream.serving.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.sidstream.serving.model.ServingModel;
import java.util.ArrayList;
import java.util.List;

/** The body of {@code POST /v1/recommend}, checked; every problem is a 400 with the reason. */
record RecommendRequest(ServingModel.Query query, int k, int beamWidth) {

    static RecommendRequest parse(JsonNode body, ServingNodeConfig config) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
        List<String> history = new ArrayList<>();
        JsonNode items = body.path("history");
        if (!items.isMissingNode() && !items.isNull()) {
            if (!items.isArray()) {
                throw new IllegalArgumentException("history must be an array of video ids");
            }
            for (JsonNode item : items) {
                if (!item.isTextual() || item.asText().isBlank()) {
                    throw new IllegalArgumentException("history must hold non-empty video id strings, found " + item);
                }
                history.add(item.asText());
            }
        }
        if (history.size() > config.maxHistory()) {
            history = history.subList(history.size() - config.maxHistory(), history.size());
        }
        JsonNode context = body.path("context");
        int k = intField(body, "k", config.defaultK(), config.maxK());
        int beam = intField(body, "beamWidth", Math.max(config.defaultBeamWidth(), 1), config.maxBeamWidth());
        return new RecommendRequest(new ServingModel.Query(history, text(context, "surface"), text(context, "device"),
                text(context, "country"), text(context, "contextVideoId")), k, Math.max(beam, Math.min(k, config.maxBeamWidth())));
    }

    private static int intField(JsonNode body, String name, int fallback, int max) {
        JsonNode node = body.path(name);
        if (node.isMissingNode() || node.isNull()) {
            return fallback;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 1 || node.asInt() > max) {
            throw new IllegalArgumentException(name + " must be an integer from 1 to " + max + ", got " + node);
        }
        return node.asInt();
    }

    private static String text(JsonNode context, String name) {
        JsonNode node = context.path(name);
        return node.isTextual() ? node.asText() : null;
    }
}
