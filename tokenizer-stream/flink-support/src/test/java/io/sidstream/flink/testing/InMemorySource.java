package io.sidstream.flink.testing;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource.NumberSequenceSplit;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.datagen.functions.FromElementsGeneratorFunction;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A source of a fixed list that, like the Kafka topics it stands in for, stays open after its last element: a bounded
 * source would end the job, and Flink drops pending processing-time timers (SID timeouts, batch flushes) when its
 * input ends, so outputs that depend on them would be missing. Tests wait for the outputs, then cancel the job.
 * Elements are serialized with {@code type} into the job graph (Flink's {@code fromData} way), so they need not be
 * {@link java.io.Serializable}.
 */
public final class InMemorySource<T>
        implements Source<T, NumberSequenceSplit, Collection<NumberSequenceSplit>>, ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    private final DataGeneratorSource<T> elements;
    /** The generator cannot produce nothing (asked for 0 records it still reads one), so an empty list never reads. */
    private final boolean empty;

    private InMemorySource(DataGeneratorSource<T> elements, boolean empty) {
        this.elements = elements;
        this.empty = empty;
    }

    public static <T> InMemorySource<T> of(TypeInformation<T> type, List<T> elements) {
        return new InMemorySource<>(
                new DataGeneratorSource<>(
                        new FromElementsGeneratorFunction<>(type, new ExecutionConfig(), elements),
                        elements.size(),
                        type),
                elements.isEmpty());
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return elements.getProducedType();
    }

    @Override
    public SourceReader<T, NumberSequenceSplit> createReader(SourceReaderContext context) throws Exception {
        return new StayOpen<>(elements.createReader(context), empty);
    }

    @Override
    public SplitEnumerator<NumberSequenceSplit, Collection<NumberSequenceSplit>> createEnumerator(
            SplitEnumeratorContext<NumberSequenceSplit> context) throws Exception {
        return elements.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<NumberSequenceSplit, Collection<NumberSequenceSplit>> restoreEnumerator(
            SplitEnumeratorContext<NumberSequenceSplit> context, Collection<NumberSequenceSplit> checkpoint) {
        return elements.restoreEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<NumberSequenceSplit> getSplitSerializer() {
        return elements.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<Collection<NumberSequenceSplit>> getEnumeratorCheckpointSerializer() {
        return elements.getEnumeratorCheckpointSerializer();
    }

    /** The list's reader, except that its end is "nothing more for now", forever. */
    private static final class StayOpen<T> implements SourceReader<T, NumberSequenceSplit> {

        private final SourceReader<T, NumberSequenceSplit> reader;
        private final CompletableFuture<Void> never = new CompletableFuture<>();
        private boolean ended;

        StayOpen(SourceReader<T, NumberSequenceSplit> reader, boolean ended) {
            this.reader = reader;
            this.ended = ended;
        }

        @Override
        public void start() {
            reader.start();
        }

        @Override
        public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
            if (ended) {
                return InputStatus.NOTHING_AVAILABLE;
            }
            InputStatus status = reader.pollNext(output);
            if (status == InputStatus.END_OF_INPUT) {
                ended = true;
                return InputStatus.NOTHING_AVAILABLE;
            }
            return status;
        }

        @Override
        public List<NumberSequenceSplit> snapshotState(long checkpointId) {
            return reader.snapshotState(checkpointId);
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return ended ? never : reader.isAvailable();
        }

        @Override
        public void addSplits(List<NumberSequenceSplit> splits) {
            reader.addSplits(splits);
        }

        @Override
        public void notifyNoMoreSplits() {
            reader.notifyNoMoreSplits();
        }

        @Override
        public void close() throws Exception {
            reader.close();
        }
    }
}
