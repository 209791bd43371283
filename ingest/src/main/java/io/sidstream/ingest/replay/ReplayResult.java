package io.sidstream.ingest.replay;

import java.util.List;

/**
 * What a replay run did.
 *
 * @param total     events in the timeline
 * @param resumedAt events skipped because an earlier run had published them
 * @param published events this run published (and Kafka acknowledged)
 * @param uploads   uploads among them
 * @param engagements engagements among them
 * @param malformedLines lines of the inputs that could not be used
 * @param malformedExamples the first of them, as {@code file:line: reason}
 */
public record ReplayResult(
        long total,
        long resumedAt,
        long published,
        long uploads,
        long engagements,
        long malformedLines,
        List<String> malformedExamples) {}
