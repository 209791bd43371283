package io.sidstream.tokenizer.window;

import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.EventType;
import java.io.Serializable;
import java.util.Set;

/**
 * Which engagements are training targets: enough of the video watched, or an explicit signal (like, share).
 *
 * @param minWatchFraction watch fraction (0..1] at or above which an engagement is positive
 * @param eventTypes       event types that are positive whatever was watched
 */
public record PositiveRule(double minWatchFraction, Set<EventType> eventTypes) implements Serializable {

    public PositiveRule {
        if (!(minWatchFraction > 0.0 && minWatchFraction <= 1.0)) {
            throw new IllegalArgumentException(
                    "windows.positive.min-watch-fraction must be in (0, 1], got " + minWatchFraction);
        }
        eventTypes = Set.copyOf(eventTypes);
    }

    public boolean isPositive(Engagement engagement) {
        return eventTypes.contains(engagement.getEventType()) || watchFraction(engagement) >= minWatchFraction;
    }

    /** Watched share of the video, capped at 1 (replays); 0 when the client did not know the duration. */
    public static double watchFraction(Engagement engagement) {
        long duration = engagement.getVideoDurationMs();
        long watched = engagement.getWatchTimeMs();
        if (duration <= 0 || watched <= 0) {
            return 0.0;
        }
        return Math.min(1.0, (double) watched / duration);
    }
}
