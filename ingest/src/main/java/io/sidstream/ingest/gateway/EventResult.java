package io.sidstream.ingest.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What happened to one event of a request.
 *
 * @param index         position in the request
 * @param id            the event's id (event id, or video id for uploads and removals) when it could be read
 * @param status        {@code accepted} (on Kafka), {@code rejected} (invalid: do not resend as is) or
 *                      {@code unavailable} (not written: resend it later)
 * @param reason        why it was rejected or not written
 * @param deadLettered  for rejected events, whether the dead letter is on Kafka
 * @param partition     for accepted events, where Kafka put it
 * @param offset        for accepted events, where Kafka put it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventResult(
        int index, String id, String status, String reason, Boolean deadLettered, Integer partition, Long offset) {

    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
    public static final String UNAVAILABLE = "unavailable";

    static EventResult accepted(int index, String id, int partition, long offset) {
        return new EventResult(index, id, ACCEPTED, null, null, partition, offset);
    }

    static EventResult rejected(int index, String id, String reason, boolean deadLettered) {
        return new EventResult(index, id, REJECTED, reason, deadLettered, null, null);
    }

    static EventResult unavailable(int index, String id, String reason) {
        return new EventResult(index, id, UNAVAILABLE, reason, null, null, null);
    }
}
