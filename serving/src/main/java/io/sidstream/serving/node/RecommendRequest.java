package io.sidstream.serving.node;

import com.fasterxml.jackson.databind.JsonNode;
import io.sidstream.schemas.Device;
import io.sidstream.schemas.Surface;
import io.sidstream.serving.model.ServingModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /v1/recommend}, checked strictly: every problem is a 400 with the reason. An unknown field
 * or an enum value the contract does not define is refused rather than ignored, since a client that misspells
 * {@code beamWidth} or sends {@code "surface": "hme"} would otherwise get answers to a question it did not ask.
 */
record RecommendRequest(ServingModel.Query query, int k, int beamWidth) {

    private static final Set<String> FIELDS = Set.of("history", "k", "beamWidth", "context");
    private static final Set<String> CONTEXT_FIELDS = Set.of("surface", "device", "country", "contextVideoId");
    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    static RecommendRequest parse(JsonNode body, ServingNodeConfig config) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
        onlyKnown(body, FIELDS, "");
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
        if (!context.isMissingNode() && !context.isNull()) {
            if (!context.isObject()) {
                throw new IllegalArgumentException("context must be a JSON object");
            }
            onlyKnown(context, CONTEXT_FIELDS, "context.");
        }
        int k = intField(body, "k", config.defaultK(), config.maxK());
        int beam = intField(body, "beamWidth", Math.max(config.defaultBeamWidth(), 1), config.maxBeamWidth());
        String country = text(context, "country");
        if (country != null && !COUNTRY.matcher(country).matches()) {
            throw new IllegalArgumentException(
                    "context.country must be an upper-case ISO 3166-1 alpha-2 code, got " + context.get("country"));
        }
        String contextVideo = text(context, "contextVideoId");
        if (contextVideo != null && contextVideo.isBlank()) {
            throw new IllegalArgumentException("context.contextVideoId must not be empty");
        }
        return new RecommendRequest(
                new ServingModel.Query(
                        history,
                        symbol(context, "surface", Surface.class),
                        symbol(context, "device", Device.class),
                        country,
                        contextVideo),
                k,
                Math.max(beam, Math.min(k, config.maxBeamWidth())));
    }

    private static void onlyKnown(JsonNode object, Set<String> known, String prefix) {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown field " + prefix + name + "; allowed: "
                        + known.stream().sorted().map(f -> prefix + f).toList());
            }
        }
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

    /** A context string, or null when absent; anything but a string is refused. */
    private static String text(JsonNode context, String name) {
        JsonNode node = context.path(name);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException("context." + name + " must be a string, got " + node);
        }
        return node.asText();
    }

    private static <E extends Enum<E>> String symbol(JsonNode context, String name, Class<E> type) {
        String value = text(context, name);
        if (value == null) {
            return null;
        }
        for (E symbol : type.getEnumConstants()) {
            if (symbol.name().equals(value)) {
                return value;
            }
        }
        throw new IllegalArgumentException(
                "context." + name + " '" + value + "' is not one of " + Arrays.toString(type.getEnumConstants()));
    }
}
