package io.sidstream.ingest.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.sidstream.schemas.Device;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.Surface;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The generic replay format (documented in the module README), UTF-8, one record per line:
 * <ul>
 *   <li>items as CSV with a header ({@code id,title,description,tags,upload_time,embedding}, optional
 *   {@code duration_ms,creator,embedding_model}; tags separated by {@code |}, embedding as space-separated floats)
 *   or as JSON lines with the same names (tags and embedding as arrays);</li>
 *   <li>interactions as CSV with a header ({@code user,item,timestamp}, optional {@code event_type,watch_fraction,
 *   event_id,surface,device,country});</li>
 *   <li>or sequences: {@code user item item ...} per line in time order; the k-th item is at
 *   {@code sequence-start + k * sequence-step}.</li>
 * </ul>
 * Times are epoch milliseconds or ISO-8601 instants. Every line that cannot be used is reported with file and line.
 */
public final class GenericReader {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@/+-]{0,127}");
    private static final String DEFAULT_EMBEDDING_MODEL = "dataset";

    private final MalformedLines malformed;
    private final ReplayConfig config;
    private final ObjectReader csvLine =
            new CsvMapper().readerFor(String[].class).with(CsvParser.Feature.WRAP_AS_ARRAY);
    private final ObjectMapper json = new ObjectMapper();

    public GenericReader(MalformedLines malformed, ReplayConfig config) {
        this.malformed = malformed;
        this.config = config;
    }

    public Dataset readInteractions(Path items, Path interactions) {
        Map<String, Item> byId = readItems(items);
        return new Dataset(byId, readInteractionsCsv(interactions, byId));
    }

    public Dataset readSequences(Path items, Path sequences) {
        Map<String, Item> byId = readItems(items);
        return new Dataset(byId, readSequenceLines(sequences, byId));
    }

    Map<String, Item> readItems(Path file) {
        String name = DatasetFiles.baseName(file).toLowerCase(Locale.ROOT);
        boolean jsonLines = name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json");
        Map<String, Item> items = new LinkedHashMap<>();
        List<String> missingContent = new ArrayList<>();
        forEachLine(file, jsonLines ? null : List.of("id"), (number, row, header) -> {
            Item item = jsonLines ? jsonItem(file, number, row) : csvItem(file, number, row, header);
            if (item == null) {
                return;
            }
            if (items.containsKey(item.id())) {
                malformed.report(
                        file,
                        number,
                        "item " + item.id() + " appears twice (first at "
                                + items.get(item.id()).source() + ")");
                return;
            }
            if (!item.hasText() && item.embedding() == null) {
                missingContent.add(item.source() + " (item " + item.id() + ")");
            }
            items.put(item.id(), item);
        });
        if (!missingContent.isEmpty()) {
            throw new IllegalArgumentException(missingContent.size()
                    + " item(s) have neither text (title or description) "
                    + "nor an embedding, so no SID can be assigned to them: "
                    + String.join(", ", missingContent.subList(0, Math.min(10, missingContent.size())))
                    + (missingContent.size() > 10 ? ", ..." : ""));
        }
        return items;
    }

    private Item csvItem(Path file, long number, String line, Map<String, Integer> header) {
        String[] f = csv(file, number, line);
        if (f == null) {
            return null;
        }
        try {
            String id = id("id", value(f, header, "id"));
            String title = orEmpty(value(f, header, "title"));
            String description = orEmpty(value(f, header, "description"));
            String tags = value(f, header, "tags");
            String upload = value(f, header, "upload_time");
            String embedding = value(f, header, "embedding");
            String duration = value(f, header, "duration_ms");
            String creator = value(f, header, "creator");
            String model = value(f, header, "embedding_model");
            List<Float> vector = blank(embedding) ? null : Fields.embedding(embedding);
            return new Item(
                    id,
                    blank(creator) ? "dataset" : id("creator", creator),
                    title,
                    description,
                    blank(tags) ? List.of() : Fields.tags(tags),
                    blank(upload) ? null : Fields.time("upload_time", upload),
                    vector,
                    vector == null ? null : blank(model) ? DEFAULT_EMBEDDING_MODEL : model,
                    blank(duration) ? null : duration(duration),
                    file.getFileName() + ":" + number);
        } catch (Fields.BadValue e) {
            malformed.report(file, number, e.getMessage());
            return null;
        }
    }

    private Item jsonItem(Path file, long number, String line) {
        JsonNode node;
        try {
            node = json.readTree(line);
        } catch (IOException e) {
            malformed.report(
                    file,
                    number,
                    "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
            return null;
        }
        if (node == null || !node.isObject()) {
            malformed.report(file, number, "not a JSON object");
            return null;
        }
        try {
            String id = id("id", text(node, "id"));
            List<String> tags = new ArrayList<>();
            JsonNode tagNode = node.get("tags");
            if (tagNode != null && tagNode.isArray()) {
                tagNode.forEach(t -> tags.add(t.asText()));
            } else if (tagNode != null && tagNode.isTextual()) {
                tags.addAll(Fields.tags(tagNode.asText()));
            }
            List<Float> vector = null;
            JsonNode emb = node.get("embedding");
            if (emb != null && emb.isArray() && !emb.isEmpty()) {
                vector = new ArrayList<>(emb.size());
                for (JsonNode v : emb) {
                    if (!v.isNumber() || !Float.isFinite(v.floatValue())) {
                        throw new Fields.BadValue("embedding holds a value that is not a finite number: " + v);
                    }
                    vector.add(v.floatValue());
                }
            } else if (emb != null && !emb.isNull() && !emb.isArray()) {
                throw new Fields.BadValue("embedding must be an array of numbers");
            }
            JsonNode upload = node.get("upload_time");
            Long uploadTime = upload == null || upload.isNull() ? null : Fields.time("upload_time", upload.asText());
            JsonNode duration = node.get("duration_ms");
            String creator = text(node, "creator");
            String model = text(node, "embedding_model");
            return new Item(
                    id,
                    blank(creator) ? "dataset" : id("creator", creator),
                    orEmpty(text(node, "title")),
                    orEmpty(text(node, "description")),
                    tags,
                    uploadTime,
                    vector,
                    vector == null ? null : blank(model) ? DEFAULT_EMBEDDING_MODEL : model,
                    duration == null || duration.isNull() ? null : duration(duration.asText()),
                    file.getFileName() + ":" + number);
        } catch (Fields.BadValue e) {
            malformed.report(file, number, e.getMessage());
            return null;
        }
    }

    private List<Interaction> readInteractionsCsv(Path file, Map<String, Item> items) {
        List<Interaction> out = new ArrayList<>();
        String fileName = file.getFileName().toString();
        forEachLine(file, List.of("user", "item", "timestamp"), (number, line, header) -> {
            String[] f = csv(file, number, line);
            if (f == null) {
                return;
            }
            try {
                String user = id("user", value(f, header, "user"));
                String item = id("item", value(f, header, "item"));
                String ts = value(f, header, "timestamp");
                if (blank(ts)) {
                    throw new Fields.BadValue("timestamp is empty");
                }
                long time = Fields.time("timestamp", ts);
                if (!items.containsKey(item)) {
                    throw new Fields.BadValue("item " + item + " is not in the items file");
                }
                String type = value(f, header, "event_type");
                String fraction = value(f, header, "watch_fraction");
                String eventId = value(f, header, "event_id");
                String surface = value(f, header, "surface");
                String device = value(f, header, "device");
                String country = value(f, header, "country");
                out.add(new Interaction(
                        user,
                        item,
                        time,
                        blank(type) ? EventType.WATCH : Fields.enumValue("event_type", EventType.class, type),
                        blank(fraction) ? null : Fields.fraction(fraction),
                        blank(eventId) ? fileName + ":" + number : id("event_id", eventId),
                        blank(surface) ? Surface.OTHER : Fields.enumValue("surface", Surface.class, surface),
                        blank(device) ? Device.OTHER : Fields.enumValue("device", Device.class, device),
                        blank(country) ? "ZZ" : country(country)));
            } catch (Fields.BadValue e) {
                malformed.report(file, number, e.getMessage());
            }
        });
        return out;
    }

    private List<Interaction> readSequenceLines(Path file, Map<String, Item> items) {
        List<Interaction> out = new ArrayList<>();
        String fileName = file.getFileName().toString();
        long start = config.sequenceStart().toEpochMilli();
        long step = config.sequenceStep().toMillis();
        forEachLine(file, null, (number, line, header) -> {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2) {
                malformed.report(file, number, "expected 'user item [item ...]'");
                return;
            }
            try {
                String user = id("user", f[0]);
                List<String> sequence = new ArrayList<>();
                for (int k = 1; k < f.length; k++) {
                    String item = id("item", f[k]);
                    if (!items.containsKey(item)) {
                        throw new Fields.BadValue("item " + item + " (position " + k + ") is not in the items file");
                    }
                    sequence.add(item);
                }
                for (int k = 0; k < sequence.size(); k++) {
                    out.add(new Interaction(
                            user,
                            sequence.get(k),
                            start + k * step,
                            EventType.WATCH,
                            null,
                            fileName + ":" + number + ":" + (k + 1),
                            Surface.OTHER,
                            Device.OTHER,
                            "ZZ"));
                }
            } catch (Fields.BadValue e) {
                malformed.report(file, number, e.getMessage());
            }
        });
        return out;
    }

    @FunctionalInterface
    private interface LineHandler {
        void handle(long number, String line, Map<String, Integer> header) throws Fields.BadValue;
    }

    /** Calls the handler for every non-blank line; with required columns, the first line is the CSV header. */
    private void forEachLine(Path file, List<String> requiredColumns, LineHandler handler) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("input file " + file + " does not exist");
        }
        long number = 0;
        try (TextLines lines = new TextLines(file, StandardCharsets.UTF_8)) {
            Map<String, Integer> header = null;
            while (true) {
                String line;
                number++;
                try {
                    line = lines.next();
                } catch (CharacterCodingException e) {
                    if (requiredColumns != null && header == null) {
                        throw new IllegalArgumentException(file + ":" + number + ": the CSV header is not valid UTF-8");
                    }
                    malformed.report(file, number, "not valid UTF-8 text");
                    continue;
                }
                if (line == null) {
                    break;
                }
                if (line.isBlank()) {
                    continue;
                }
                if (requiredColumns != null && header == null) {
                    header = header(file, line, requiredColumns);
                    continue;
                }
                try {
                    handler.handle(number, line, header);
                } catch (Fields.BadValue e) {
                    malformed.report(file, number, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read " + file + " (after line " + number + "): " + e.getMessage(), e);
        }
    }

    private Map<String, Integer> header(Path file, String line, List<String> required) {
        String[] names;
        try {
            names = csvRow(line);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ":1: cannot read the CSV header: " + e.getMessage());
        }
        Map<String, Integer> header = new HashMap<>();
        for (int i = 0; i < names.length; i++) {
            header.put(names[i].trim().toLowerCase(Locale.ROOT), i);
        }
        for (String column : required) {
            if (!header.containsKey(column)) {
                throw new IllegalArgumentException(file + ": the CSV header must name the column '" + column
                        + "' (found " + header.keySet() + ")");
            }
        }
        return header;
    }

    private String[] csv(Path file, long number, String line) {
        try {
            return csvRow(line);
        } catch (IOException e) {
            malformed.report(
                    file,
                    number,
                    "not a valid CSV line: "
                            + e.getMessage().lines().findFirst().orElse(""));
            return null;
        }
    }

    private String[] csvRow(String line) throws IOException {
        try (com.fasterxml.jackson.databind.MappingIterator<String[]> rows = csvLine.readValues(line)) {
            return rows.hasNext() ? rows.next() : new String[0];
        }
    }

    private static String value(String[] fields, Map<String, Integer> header, String column) {
        Integer i = header.get(column);
        return i == null || i >= fields.length ? null : fields[i];
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String id(String field, String value) throws Fields.BadValue {
        if (blank(value)) {
            throw new Fields.BadValue(field + " is empty");
        }
        String v = value.trim();
        if (!ID.matcher(v).matches()) {
            throw new Fields.BadValue(field + " '" + v + "' is not a valid id (1-128 of A-Z a-z 0-9 . _ : @ / + -)");
        }
        return v;
    }

    private static String country(String value) throws Fields.BadValue {
        String v = value.trim();
        if (!v.matches("[A-Z]{2}")) {
            throw new Fields.BadValue("country '" + v + "' is not an upper-case ISO 3166-1 alpha-2 code");
        }
        return v;
    }

    private static long duration(String value) throws Fields.BadValue {
        try {
            long d = Long.parseLong(value.trim());
            if (d <= 0) {
                throw new Fields.BadValue("duration_ms " + d + " must be positive");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new Fields.BadValue("duration_ms '" + value + "' is not an integer");
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
