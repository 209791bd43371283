package io.sidstream.tokenizer.window;

import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.schemas.VideoRemoved;
import io.sidstream.tokenizer.window.join.PendingEngagement;
import io.sidstream.tokenizer.window.join.ResolvedEngagement;
import io.sidstream.tokenizer.window.join.SourcedEngagement;
import io.sidstream.tokenizer.window.join.VideoSid;
import io.sidstream.tokenizer.window.shuffle.CompactTypeInfo;
import io.sidstream.tokenizer.window.shuffle.ResolvedEngagementSerializer;
import io.sidstream.tokenizer.window.shuffle.SourcedEngagementSerializer;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.types.Either;

/**
 * The type of every stream and state of the job, spelled out so none falls back to Kryo: contracts are Avro, the
 * job's own values in state are POJOs whose fields are Avro, enums, strings or primitive arrays (all evolvable on
 * restore). Records that only cross a shuffle use hand-written serializers ({@code shuffle} package): no state
 * outlives the code that wrote it there.
 */
public final class WindowTypes {

    /** Engagements in state (evolvable Avro). */
    public static final TypeInformation<Engagement> ENGAGEMENT = new AvroTypeInfo<>(Engagement.class);
    /** Engagements with their Kafka position on their way to the join (a shuffle by video), and late ones. */
    public static final TypeInformation<SourcedEngagement> SOURCED_ENGAGEMENT =
            new CompactTypeInfo<>(SourcedEngagement.class, SourcedEngagementSerializer.INSTANCE);

    public static final TypeInformation<TrainingExample> TRAINING_EXAMPLE = new AvroTypeInfo<>(TrainingExample.class);
    public static final TypeInformation<Either<SidAssigned, VideoRemoved>> CATALOG_CHANGE =
            new EitherTypeInfo<>(new AvroTypeInfo<>(SidAssigned.class), new AvroTypeInfo<>(VideoRemoved.class));

    public static final TypeInformation<VideoSid> VIDEO_SID = Types.POJO(
            VideoSid.class,
            Map.of(
                    "codes", PrimitiveArrayTypeInfo.INT_PRIMITIVE_ARRAY_TYPE_INFO,
                    "codebookVersion", Types.STRING,
                    "removed", Types.BOOLEAN));

    /** Fields may be added (restored state gets them null), never renamed or removed: see {@link PendingEngagement}. */
    public static final TypeInformation<PendingEngagement> PENDING = Types.POJO(
            PendingEngagement.class,
            Map.of(
                    "engagement", ENGAGEMENT,
                    "deadline", Types.LONG,
                    "partition", Types.INT,
                    "offset", Types.LONG));

    /** Joined engagements on their way to the histories (a shuffle by user). */
    public static final TypeInformation<ResolvedEngagement> RESOLVED =
            new CompactTypeInfo<>(ResolvedEngagement.class, ResolvedEngagementSerializer.INSTANCE);

    private WindowTypes() {}
}
