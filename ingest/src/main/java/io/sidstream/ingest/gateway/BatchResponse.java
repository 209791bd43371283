package io.sidstream.ingest.gateway;

import java.util.List;

/**
 * The answer to one request: counts and a result per event, in request order. The HTTP status follows from it:
 * 503 when any event was not written (resend those), else 400 when none was accepted, 207 when some were rejected,
 * 200 when all were accepted.
 */
public record BatchResponse(int accepted, int rejected, int unavailable, List<EventResult> results) {

    public static BatchResponse of(List<EventResult> results) {
        int accepted = 0;
        int rejected = 0;
        int unavailable = 0;
        for (EventResult r : results) {
            switch (r.status()) {
                case EventResult.ACCEPTED -> accepted++;
                case EventResult.REJECTED -> rejected++;
                default -> unavailable++;
            }
        }
        return new BatchResponse(accepted, rejected, unavailable, List.copyOf(results));
    }

    public int httpStatus() {
        if (unavailable > 0) {
            return 503;
        }
        if (rejected > 0) {
            return accepted == 0 ? 400 : 207;
        }
        return 200;
    }
}
