package io.sidstream.ingest.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a request body into events: one JSON object, a JSON array of objects, or NDJSON (one object per line).
 * Each event keeps its exact bytes. In NDJSON a broken line spoils only that line; a broken JSON array is one
 * unreadable request.
 */
public final class BatchParser {

    private final ObjectMapper mapper;
    private final ObjectMapper streaming;
    private final int maxEvents;

    public BatchParser(ObjectMapper mapper, int maxEvents) {
        // values are read one by one off a shared parser, so "trailing tokens" are the next events, not an error
        this.streaming =
                mapper.copy().disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.mapper = mapper;
        this.maxEvents = maxEvents;
    }

    /** Thrown when the body as a whole cannot be used: not JSON at all, or more events than allowed. */
    public static final class BadBatchException extends Exception {
        private final boolean tooLarge;

        BadBatchException(String message, boolean tooLarge) {
            super(message, null, false, false);
            this.tooLarge = tooLarge;
        }

        public boolean tooLarge() {
            return tooLarge;
        }
    }

    public List<ParsedEvent> parse(byte[] body) throws BadBatchException {
        int start = firstNonBlank(body);
        if (start < 0) {
            throw new BadBatchException("empty request body: send a JSON object, a JSON array or NDJSON", false);
        }
        return body[start] == '[' ? parseArray(body) : parseSequence(body);
    }

    private List<ParsedEvent> parseArray(byte[] body) throws BadBatchException {
        List<ParsedEvent> events = new ArrayList<>();
        try (JsonParser parser = streaming.createParser(body)) {
            parser.nextToken();
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    throw new BadBatchException("JSON array is not closed", false);
                }
                int from = (int) parser.currentTokenLocation().getByteOffset();
                JsonNode node = parser.readValueAsTree();
                int to = (int) parser.currentLocation().getByteOffset();
                checkCount(events.size() + 1);
                events.add(new ParsedEvent(events.size(), Arrays.copyOfRange(body, from, to), node, null));
            }
            if (parser.nextToken() != null) {
                throw new BadBatchException("unexpected content after the JSON array", false);
            }
        } catch (JsonProcessingException e) {
            throw new BadBatchException("request body is not valid JSON: " + e.getOriginalMessage(), false);
        } catch (IOException e) {
            throw new BadBatchException("cannot read request body: " + e.getMessage(), false);
        }
        return events;
    }

    /** One object, NDJSON, or concatenated objects; falls back to line by line when some value is broken. */
    private List<ParsedEvent> parseSequence(byte[] body) throws BadBatchException {
        List<ParsedEvent> events = new ArrayList<>();
        try (JsonParser parser = streaming.createParser(body)) {
            while (parser.nextToken() != null) {
                int from = (int) parser.currentTokenLocation().getByteOffset();
                JsonNode node = parser.readValueAsTree();
                int to = (int) parser.currentLocation().getByteOffset();
                checkCount(events.size() + 1);
                events.add(new ParsedEvent(events.size(), Arrays.copyOfRange(body, from, to), node, null));
            }
            return events;
        } catch (IOException e) {
            return parseLines(body);
        }
    }

    private List<ParsedEvent> parseLines(byte[] body) throws BadBatchException {
        List<ParsedEvent> events = new ArrayList<>();
        int lineStart = 0;
        int lineNumber = 0;
        for (int i = 0; i <= body.length; i++) {
            if (i == body.length || body[i] == '\n') {
                lineNumber++;
                byte[] line = Arrays.copyOfRange(body, lineStart, i > lineStart && body[i - 1] == '\r' ? i - 1 : i);
                lineStart = i + 1;
                if (firstNonBlank(line) < 0) {
                    continue;
                }
                checkCount(events.size() + 1);
                try {
                    events.add(new ParsedEvent(events.size(), line, mapper.readTree(line), null));
                } catch (IOException e) {
                    String reason = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
                    events.add(new ParsedEvent(
                            events.size(), line, null, "line " + lineNumber + " is not valid JSON: " + reason));
                }
            }
        }
        return events;
    }

    private void checkCount(int count) throws BadBatchException {
        if (count > maxEvents) {
            throw new BadBatchException("more than " + maxEvents + " events in one request: split the batch", true);
        }
    }

    private static int firstNonBlank(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (!Character.isWhitespace(bytes[i])) {
                return i;
            }
        }
        return -1;
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
