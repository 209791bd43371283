package io.sidstream.ingest.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks the fields of one JSON event. Every failure names the field and what was wrong with it, because
 * that text goes back to the client and into the dead letter.
 */
final class JsonFields {

    /** Ids travel as Kafka keys and in URLs: printable, no spaces, bounded. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@/+-]{0,127}");

    private static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*");
    /** Earliest event time accepted: older data is replayed, not posted live. */
    private static final long MIN_TIME = Instant.parse("1990-01-01T00:00:00Z").toEpochMilli();

    private final JsonNode node;
    private final Set<String> known;
    private final long maxTime;

    JsonFields(JsonNode node, Set<String> known, long maxTime) throws InvalidEventException {
        if (node == null || !node.isObject()) {
            throw new InvalidEventException("an event must be a JSON object, got "
                    + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase()));
        }
        this.node = node;
        this.known = known;
        this.maxTime = maxTime;
        List<String> unknown = new ArrayList<>();
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidEventException("unknown field(s) " + unknown + "; allowed: "
                    + known.stream().sorted().toList());
        }
    }

    String id(String field) throws InvalidEventException {
        String value = requiredText(field);
        if (!ID.matcher(value).matches()) {
            throw new InvalidEventException(field + " '" + abbreviate(value)
                    + "' is not a valid id (1-128 of A-Z a-z 0-9 . _ : @ / + -, starting with a letter or digit)");
        }
        return value;
    }

    String optionalId(String field) throws InvalidEventException {
        return present(field) ? id(field) : null;
    }

    String requiredText(String field) throws InvalidEventException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidEventException("missing required field " + field);
        }
        if (!value.isTextual()) {
            throw new InvalidEventException(field + " must be a string");
        }
        if (value.asText().isBlank()) {
            throw new InvalidEventException(field + " must not be empty");
        }
        return wellFormed(field, value.asText());
    }

    /**
     * A lone UTF-16 surrogate (JSON allows the escape {@code \ud800} on its own) is not a character: UTF-8 cannot
     * encode it, and Avro would store it as '?'. Refused rather than stored altered.
     */
    private static String wellFormed(String field, String value) throws InvalidEventException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidEventException(field + " holds a lone UTF-16 surrogate (\\u"
                        + String.format("%04x", (int) c) + " at character " + i + "), which is not text");
            }
        }
        return value;
    }

    String text(String field, String fallback, int maxLength) throws InvalidEventException {
        String value = present(field) ? textValue(field) : fallback;
        if (value != null && value.length() > maxLength) {
            throw new InvalidEventException(
                    field + " is longer than " + maxLength + " characters (" + value.length() + ")");
        }
        return value;
    }

    String boundedText(String field, int maxLength) throws InvalidEventException {
        String value = requiredText(field);
        if (value.length() > maxLength) {
            throw new InvalidEventException(
                    field + " is longer than " + maxLength + " characters (" + value.length() + ")");
        }
        return value;
    }

    String language(String field) throws InvalidEventException {
        if (!present(field)) {
            return null;
        }
        String value = textValue(field);
        if (!LANGUAGE.matcher(value).matches()) {
            throw new InvalidEventException(field + " '" + abbreviate(value) + "' is not a BCP-47 language tag");
        }
        return value;
    }

    String country(String field) throws InvalidEventException {
        String value = requiredText(field);
        if (!COUNTRY.matcher(value).matches()) {
            throw new InvalidEventException(field + " '" + abbreviate(value)
                    + "' is not an upper-case ISO 3166-1 alpha-2 code (use ZZ when unknown)");
        }
        return value;
    }

    List<String> texts(String field, int maxItems, int maxLength) throws InvalidEventException {
        if (!present(field)) {
            return List.of();
        }
        JsonNode array = node.get(field);
        if (!array.isArray()) {
            throw new InvalidEventException(field + " must be an array of strings");
        }
        if (array.size() > maxItems) {
            throw new InvalidEventException(
                    field + " has " + array.size() + " items, at most " + maxItems + " allowed");
        }
        List<String> out = new ArrayList<>(array.size());
        for (JsonNode item : array) {
            if (!item.isTextual() || item.asText().isBlank() || item.asText().length() > maxLength) {
                throw new InvalidEventException(
                        field + " must hold non-empty strings of at most " + maxLength + " characters");
            }
            out.add(wellFormed(field, item.asText()));
        }
        return out;
    }

    long longValue(String field, long min, long max, Long fallback) throws InvalidEventException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (fallback == null) {
                throw new InvalidEventException("missing required field " + field);
            }
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidEventException(field + " must be an integer");
        }
        long v = value.asLong();
        if (v < min || v > max) {
            throw new InvalidEventException(field + " is " + v + ", must be between " + min + " and " + max);
        }
        return v;
    }

    /** Epoch milliseconds or an ISO-8601 instant, not before 1990 and not beyond the allowed clock skew. */
    Instant time(String field) throws InvalidEventException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidEventException("missing required field " + field);
        }
        long millis;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            millis = value.asLong();
        } else if (value.isTextual()) {
            try {
                millis = Instant.parse(value.asText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new InvalidEventException(field + " '" + abbreviate(value.asText())
                        + "' is neither epoch milliseconds nor an ISO-8601 instant");
            }
        } else {
            throw new InvalidEventException(field + " must be epoch milliseconds or an ISO-8601 instant");
        }
        if (millis < MIN_TIME) {
            throw new InvalidEventException(field + " " + Instant.ofEpochMilli(millis)
                    + " is before 1990 (epoch seconds instead of milliseconds?)");
        }
        if (millis > maxTime) {
            throw new InvalidEventException(field + " " + Instant.ofEpochMilli(millis) + " is in the future");
        }
        return Instant.ofEpochMilli(millis);
    }

    <E extends Enum<E>> E enumValue(String field, Class<E> type, E fallback) throws InvalidEventException {
        if (!present(field)) {
            if (fallback == null) {
                throw new InvalidEventException("missing required field " + field);
            }
            return fallback;
        }
        String value = textValue(field);
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(
                    field + " '" + abbreviate(value) + "' is not one of " + Arrays.toString(type.getEnumConstants()));
        }
    }

    /** A content embedding of exactly {@code dimension} finite values, not all zero; null when absent. */
    List<Float> embedding(String field, int dimension) throws InvalidEventException {
        if (!present(field)) {
            return null;
        }
        JsonNode array = node.get(field);
        if (!array.isArray()) {
            throw new InvalidEventException(field + " must be an array of numbers");
        }
        if (array.size() != dimension) {
            throw new InvalidEventException(field + " has dimension " + array.size() + ", expected " + dimension);
        }
        List<Float> out = new ArrayList<>(dimension);
        boolean nonZero = false;
        for (int i = 0; i < array.size(); i++) {
            JsonNode item = array.get(i);
            if (!item.isNumber()) {
                throw new InvalidEventException(field + "[" + i + "] is not a number");
            }
            float f = item.floatValue();
            if (!Float.isFinite(f)) {
                throw new InvalidEventException(field + "[" + i + "] is not a finite 32-bit float");
            }
            nonZero |= f != 0f;
            out.add(f);
        }
        if (!nonZero) {
            throw new InvalidEventException(field + " is all zeros");
        }
        return out;
    }

    boolean present(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    private String textValue(String field) throws InvalidEventException {
        JsonNode value = node.get(field);
        if (!value.isTextual()) {
            throw new InvalidEventException(field + " must be a string");
        }
        return wellFormed(field, value.asText());
    }

    static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
