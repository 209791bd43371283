package io.sidstream.core.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators of HTTP request bodies for the parsers' property tests: objects shaped like a contract's (its
 * field names, plausible and wild values, unknown fields), any JSON value, broken and truncated JSON, and bare text.
 * Bodies are written here rather than by Jackson so they can hold what real clients send and Jackson would refuse to
 * write: lone UTF-16 surrogates as {@code \\uXXXX} escapes, numbers past every integer type.
 */
public final class JsonArbitraries {

    private JsonArbitraries() {}

    /** Strings of every kind: ids, words, empty, blanks, control characters, lone surrogates, very long ones. */
    public static Arbitrary<String> strings() {
        return Arbitraries.oneOf(
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12),
                Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.of(
                        "",
                        " ",
                        "\t",
                        "\ud800",
                        "a\udc00b",
                        "\ud83c\udf75",
                        "null",
                        "1",
                        "HOME",
                        "US",
                        "WATCH",
                        "1e999",
                        "2026-01-01T00:00:00Z",
                        "not-a-time",
                        "\u0000"),
                Arbitraries.strings().withChars('x').ofLength(2_000));
    }

    /** Numbers of every size and kind, written as JSON number tokens. */
    public static Arbitrary<Object> numbers() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(-5, 5).map(i -> (Object) i),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of("1e309", "-0", "123456789012345678901234567890", "1.5e3", "1767225600000")
                        .map(Raw::new));
    }

    /** Any JSON value up to {@code depth} levels deep. */
    public static Arbitrary<Object> values(int depth) {
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                Arbitraries.just(null),
                Arbitraries.of(true, false).map(b -> (Object) b),
                numbers(),
                strings().map(s -> (Object) s));
        if (depth <= 0) {
            return scalar;
        }
        Arbitrary<Object> nested = values(depth - 1);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, scalar),
                net.jqwik.api.Tuple.of(1, nested.list().ofMaxSize(4).map(l -> (Object) l)),
                net.jqwik.api.Tuple.of(
                        1, Arbitraries.maps(strings(), nested).ofMaxSize(3).map(m -> (Object) m)));
    }

    /**
     * Objects with a random subset of {@code fields}, each given its plausible value or any value, plus now and then
     * a field the contract does not know.
     */
    public static Arbitrary<Object> objectsLike(Map<String, Arbitrary<Object>> fields) {
        List<Arbitrary<Map.Entry<String, Object>>> entries = new ArrayList<>();
        fields.forEach((name, plausible) -> entries.add(Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, plausible.map(v -> entry(name, v))),
                net.jqwik.api.Tuple.of(2, values(1).map(v -> entry(name, v))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(entry(name, Absent.FIELD))))));
        Arbitrary<List<Map.Entry<String, Object>>> known =
                Combinators.combine(entries).as(List::copyOf);
        Arbitrary<Map<String, Object>> unknown =
                Arbitraries.maps(strings(), values(0)).ofMinSize(1).ofMaxSize(1);
        return Combinators.combine(known, unknown, Arbitraries.integers().between(0, 9))
                .as((k, u, dice) -> {
                    Map<String, Object> object = new LinkedHashMap<>();
                    k.stream()
                            .filter(e -> e.getValue() != Absent.FIELD)
                            .forEach(e -> object.put(e.getKey(), e.getValue()));
                    if (dice == 0) {
                        object.putAll(u);
                    }
                    return object;
                });
    }

    /** A field and its value, which may be JSON null (Map.entry refuses null). */
    private static Map.Entry<String, Object> entry(String name, Object value) {
        return new java.util.AbstractMap.SimpleImmutableEntry<>(name, value);
    }

    /** Request bodies around {@code shaped}: the value as JSON, truncated, in an array, or no JSON at all. */
    public static Arbitrary<String> bodies(Arbitrary<Object> shaped) {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, shaped.map(JsonArbitraries::write)),
                net.jqwik.api.Tuple.of(
                        1,
                        Combinators.combine(
                                        shaped.map(JsonArbitraries::write),
                                        Arbitraries.integers().between(0, 1000))
                                .as((json, cut) -> json.substring(0, Math.min(cut, json.length())))),
                net.jqwik.api.Tuple.of(1, shaped.list().ofMaxSize(3).map(JsonArbitraries::write)),
                net.jqwik.api.Tuple.of(1, values(2).map(JsonArbitraries::write)),
                net.jqwik.api.Tuple.of(1, strings()));
    }

    /** A number token written as is (beyond what Java's number types hold). */
    public record Raw(String token) {}

    private enum Absent {
        FIELD
    }

    /** JSON text of a value; every character outside printable ASCII as a {@code \\uXXXX} escape. */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Raw raw) {
            out.append(raw.token());
        } else if (value instanceof Double d && !Double.isFinite(d)) {
            out.append("1e999");
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof String s) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20 || c > 0x7e) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            out.append('"');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(list.get(i), out);
            }
            out.append(']');
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(first ? "" : ",");
                first = false;
                write(String.valueOf(e.getKey()), out);
                out.append(':');
                write(e.getValue(), out);
            }
            out.append('}');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass());
        }
    }
}
