package io.sidstream.ingest.replay;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Parsing of the generic format's values; failures are messages for {@link MalformedLines}. */
final class Fields {

    private Fields() {}

    static final class BadValue extends Exception {
        BadValue(String message) {
            super(message, null, false, false);
        }
    }

    /** Epoch milliseconds or an ISO-8601 instant. */
    static long time(String field, String value) throws BadValue {
        String v = value.trim();
        if (v.matches("-?\\d+")) {
            long millis = Long.parseLong(v);
            if (millis < 100_000_000_000L) {
                throw new BadValue(field + " " + v
                        + " looks like epoch seconds; the generic format takes epoch milliseconds or ISO-8601");
            }
            return millis;
        }
        try {
            return Instant.parse(v).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new BadValue(field + " '" + v + "' is neither epoch milliseconds nor an ISO-8601 instant");
        }
    }

    /** Floats separated by spaces (or commas / pipes), all finite. */
    static List<Float> embedding(String value) throws BadValue {
        String v = value.trim();
        if (v.startsWith("[") && v.endsWith("]")) {
            v = v.substring(1, v.length() - 1);
        }
        List<Float> out = new ArrayList<>();
        for (String part : v.split("[\\s,|]+")) {
            if (part.isEmpty()) {
                continue;
            }
            try {
                float f = Float.parseFloat(part);
                if (!Float.isFinite(f)) {
                    throw new BadValue("embedding value " + part + " is not finite");
                }
                out.add(f);
            } catch (NumberFormatException e) {
                throw new BadValue("embedding value '" + part + "' is not a number");
            }
        }
        return out.isEmpty() ? null : out;
    }

    static List<String> tags(String value) {
        List<String> out = new ArrayList<>();
        for (String t : value.split("\\|")) {
            if (!t.isBlank()) {
                out.add(t.trim());
            }
        }
        return out;
    }

    static double fraction(String value) throws BadValue {
        try {
            double d = Double.parseDouble(value.trim());
            if (!(d >= 0 && d <= 1)) {
                throw new BadValue("watch_fraction " + value + " is outside 0..1");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new BadValue("watch_fraction '" + value + "' is not a number");
        }
    }

    static <E extends Enum<E>> E enumValue(String field, Class<E> type, String value) throws BadValue {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadValue(
                    field + " '" + value + "' is not one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }
}
