package io.sidstream.ingest.replay;

import io.sidstream.schemas.Device;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.Surface;

/**
 * A user's interaction with an item, before it becomes an {@code Engagement}.
 *
 * @param watchFraction share of the item watched (0..1), or null for the event type's default
 * @param eventId       the dataset's own event id, or a stable one derived from file and line
 */
public record Interaction(
        String userId,
        String itemId,
        long time,
        EventType eventType,
        Double watchFraction,
        String eventId,
        Surface surface,
        Device device,
        String country) {}
