package io.sidstream.tokenizer.window;

import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.schemas.VideoRemoved;
import io.sidstream.tokenizer.window.join.PendingEngagement;
import io.sidstream.tokenizer.window.join.ResolvedEngagement;
import io.sidstream.tokenizer.window.join.VideoSid;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.types.Either;

/**
 * The type of every stream and state of the job, spelled out so none falls back to Kryo: contracts are Avro, the
 * job's own values are POJOs whose fields are Avro, enums, strings or primitive arrays (all evolvable on restore).
 */
public final class WindowTypes {

    public static final TypeInformation<Engagement> ENGAGEMENT = new AvroTypeInfo<>(Engagement.class);
    public static final TypeInformation<TrainingExample> TRAINING_EXAMPLE = new AvroTypeInfo<>(TrainingExample.class);
    public static final TypeInformation<Either<SidAssigned, VideoRemoved>> CATALOG_CHANGE =
            new EitherTypeInfo<>(new AvroTypeInfo<>(SidAssigned.class), new AvroTypeInfo<>(VideoRemoved.class));

    public static final TypeInformation<VideoSid> VIDEO_SID = Types.POJO(VideoSid.class, Map.of(
            "codes", PrimitiveArrayTypeInfo.INT_PRIMITIVE_ARRAY_TYPE_INFO,
            "codebookVersion", Types.STRING,
            "removed", Types.BOOLEAN));

    public static final TypeInformation<PendingEngagement> PENDING = Types.POJO(PendingEngagement.class, Map.of(
            "engagement", ENGAGEMENT,
            "deadline", Types.LONG));

    public static final TypeInformation<ResolvedEngagement> RESOLVED = Types.POJO(ResolvedEngagement.class, Map.of(
            "engagement", ENGAGEMENT,
            "sid", PrimitiveArrayTypeInfo.INT_PRIMITIVE_ARRAY_TYPE_INFO,
            "codebookVersion", Types.STRING));

    private WindowTypes() {
    }
}
