package io.sidstream.flink.kafka;

import io.sidstream.schemas.DeadLetter;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The side output every operator of a sidstream job writes its dead letters to; the job unions them into one
 * dead-letter sink, which routes each to its source topic's {@code .dlq}.
 */
public final class DeadLetterOutput {

    public static final OutputTag<DeadLetter> TAG =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    private DeadLetterOutput() {}

    /** The decoded values of a source, with the records that could not be decoded sent to {@link #TAG}. */
    public static <T extends SpecificRecordBase> SingleOutputStreamOperator<T> split(
            DataStream<Either<DeadLetter, T>> decoded, Class<T> type) {
        return split(decoded, new AvroTypeInfo<>(type));
    }

    /**
     * As {@link #split(DataStream, Class)}, with the type information the values leave with (a job with a faster
     * serializer for a stream that crosses a shuffle).
     */
    public static <T> SingleOutputStreamOperator<T> split(
            DataStream<Either<DeadLetter, T>> decoded, TypeInformation<T> type) {
        return decoded.process(new Splitter<T>(), type)
                .name("dead-letters out of " + type.getTypeClass().getSimpleName());
    }

    private static final class Splitter<T> extends ProcessFunction<Either<DeadLetter, T>, T> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(Either<DeadLetter, T> value, Context ctx, Collector<T> out) {
            if (value.isRight()) {
                out.collect(value.right());
            } else {
                ctx.output(TAG, value.left());
            }
        }
    }
}
