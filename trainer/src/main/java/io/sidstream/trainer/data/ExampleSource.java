package io.sidstream.trainer.data;

import io.sidstream.schemas.TrainingExample;
import java.util.List;
import java.util.Map;

/**
 * Where a cycle's examples come from, positioned by offsets per partition that the caller keeps (in the checkpoint),
 * never by the source itself: a crash before the checkpoint is written re-reads the same examples.
 */
public interface ExampleSource extends AutoCloseable {

    /** What one read returned: the examples, the offsets to read from next time, and records it could not decode. */
    record Read(List<TrainingExample> examples, Map<Integer, Long> nextOffsets, long undecodable) {}

    /** Every example from {@code from} (missing partitions: from the beginning) up to the end as of this call. */
    Read readSince(Map<Integer, Long> from);

    /** How many records wait after {@code from}: the data trigger's measure. */
    long pending(Map<Integer, Long> from);

    @Override
    void close();
}
