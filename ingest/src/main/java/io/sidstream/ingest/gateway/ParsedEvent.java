package io.sidstream.ingest.gateway;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event of a request as it arrived: its position in the batch, its raw bytes (what a dead letter keeps), and
 * either its JSON tree or the reason it could not be parsed.
 */
public record ParsedEvent(int index, byte[] raw, JsonNode json, String parseError) {

    public boolean parsed() {
        return parseError == null;
    }
}
