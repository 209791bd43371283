package io.sidstream.trainer.data;

import io.sidstream.schemas.TrainingExample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One partition in memory, offsets being list positions: for tests and offline replays. */
public final class InMemoryExampleSource implements ExampleSource {

    private final List<TrainingExample> log = new ArrayList<>();

    public synchronized void append(List<TrainingExample> examples) {
        log.addAll(examples);
    }

    @Override
    public synchronized Read readSince(Map<Integer, Long> from) {
        int start = (int) (long) from.getOrDefault(0, 0L);
        return new Read(
                List.copyOf(log.subList(Math.min(start, log.size()), log.size())), Map.of(0, (long) log.size()), 0);
    }

    @Override
    public synchronized long pending(Map<Integer, Long> from) {
        return Math.max(0, log.size() - from.getOrDefault(0, 0L));
    }

    @Override
    public void close() {}
}
