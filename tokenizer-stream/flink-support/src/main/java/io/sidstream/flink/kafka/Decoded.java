package io.sidstream.flink.kafka;

import io.sidstream.schemas.DeadLetter;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.types.Either;

/**
 * A Kafka record after decoding is either its contract's value (right) or the dead letter that says why it could
 * not be decoded (left). Flink's {@link Either} with Avro serialization on both sides, so neither falls back to Kryo.
 */
public final class Decoded {

    private Decoded() {}

    public static <T extends SpecificRecordBase> TypeInformation<Either<DeadLetter, T>> type(Class<T> valueType) {
        return new EitherTypeInfo<>(new AvroTypeInfo<>(DeadLetter.class), new AvroTypeInfo<>(valueType));
    }
}
