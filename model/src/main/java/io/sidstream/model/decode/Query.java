package io.sidstream.model.decode;

import io.sidstream.schemas.HistoryItem;
import io.sidstream.schemas.RequestContext;
import java.util.List;
import java.util.Set;

/** A decoding request: the request context, the user's history (oldest first) and videos not to return. */
public record Query(RequestContext context, List<HistoryItem> history, Set<String> exclude) {

    public Query(RequestContext context, List<HistoryItem> history) {
        this(context, history, Set.of());
    }
}
