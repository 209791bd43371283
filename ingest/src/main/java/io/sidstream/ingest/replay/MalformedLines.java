package io.sidstream.ingest.replay;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every line a reader could not use, with file and line number: logged, counted, kept (the first hundred) for the
 * summary, and fatal past the configured maximum, so bad data is never skipped silently.
 */
public final class MalformedLines {

    private static final Logger LOG = LoggerFactory.getLogger(MalformedLines.class);
    private static final int KEPT = 100;

    private final long max;
    private final List<String> first = new ArrayList<>();
    private long count;

    public MalformedLines(long max) {
        this.max = max;
    }

    public void report(Path file, long line, String reason) {
        count++;
        String message = file.getFileName() + ":" + line + ": " + reason;
        if (first.size() < KEPT) {
            first.add(message);
        }
        LOG.warn("malformed line {}", message);
        if (count > max) {
            throw new IllegalArgumentException("more than " + max + " malformed lines (last: " + message
                    + "); fix the data or raise ingest.replay.max-malformed-lines");
        }
    }

    public long count() {
        return count;
    }

    /** The first malformed lines, as {@code file:line: reason}. */
    public List<String> examples() {
        return List.copyOf(first);
    }
}
