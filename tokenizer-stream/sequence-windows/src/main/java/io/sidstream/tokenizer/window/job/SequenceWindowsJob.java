package io.sidstream.tokenizer.window.job;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.flink.job.FlinkJobConfig;
import io.sidstream.flink.job.JobEnvironments;
import io.sidstream.flink.job.StateBackendSettings;
import io.sidstream.flink.kafka.DeadLetterOutput;
import io.sidstream.flink.kafka.KafkaConnectors;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.schemas.VideoRemoved;
import io.sidstream.schemas.serde.RegistryConfig;
import io.sidstream.tokenizer.window.WindowTypes;
import io.sidstream.tokenizer.window.WindowsConfig;
import io.sidstream.tokenizer.window.history.UserHistory;
import io.sidstream.tokenizer.window.join.EngagementRejections;
import io.sidstream.tokenizer.window.join.ResolvedEngagement;
import io.sidstream.tokenizer.window.join.SidJoin;
import io.sidstream.tokenizer.window.join.SourcedEngagement;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The sequence-windows job: engagements joined with their videos' SIDs (keyed by video), then per-user histories
 * and training examples (keyed by user), exactly once to {@code training-examples}; everything it cannot use goes to
 * the dead-letter sink with a reason. Sources and sinks are constructor arguments, so tests can inject their own.
 */
public final class SequenceWindowsJob {

    public static final String NAME = "sequence-windows";
    public static final String STAGE = "sequence-windows";
    /**
     * The examples' producer fills 16 KiB batches (Kafka's default) in a few milliseconds, and every batch starts a
     * new LZ4 frame with two 64 KiB buffers: a tenth of the histories' thread in profiles. Output is visible only on
     * checkpoints (exactly once), so larger batches cost no latency.
     */
    static final Map<String, String> EXAMPLE_PRODUCER_DEFAULTS =
            Map.of(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));

    private final Source<Either<DeadLetter, SourcedEngagement>, ?, ?> engagements;
    private final Source<Either<DeadLetter, SidAssigned>, ?, ?> assignments;
    private final Source<Either<DeadLetter, VideoRemoved>, ?, ?> removals;
    private final Sink<TrainingExample> examples;
    private final Optional<Sink<TrainingExample>> exampleFiles;
    private final Sink<DeadLetter> deadLetters;
    private final WindowsConfig config;
    private final RegistryConfig registry;

    public SequenceWindowsJob(
            Source<Either<DeadLetter, SourcedEngagement>, ?, ?> engagements,
            Source<Either<DeadLetter, SidAssigned>, ?, ?> assignments,
            Source<Either<DeadLetter, VideoRemoved>, ?, ?> removals,
            Sink<TrainingExample> examples,
            Optional<Sink<TrainingExample>> exampleFiles,
            Sink<DeadLetter> deadLetters,
            WindowsConfig config,
            RegistryConfig registry) {
        this.engagements = engagements;
        this.assignments = assignments;
        this.removals = removals;
        this.examples = examples;
        this.exampleFiles = exampleFiles;
        this.deadLetters = deadLetters;
        this.config = config;
        this.registry = registry;
    }

    /** The job over the configured Kafka cluster: the catalog topics in, training examples and dead letters out. */
    public static SequenceWindowsJob fromConfig(SidstreamConfig config) {
        KafkaConnectors kafka = new KafkaConnectors(config);
        WindowsConfig windows = WindowsConfig.from(config);
        String prefix = windows.transactionalIdPrefix();
        return new SequenceWindowsJob(
                kafka.source(
                        Topic.ENGAGEMENTS,
                        windows.groupId(),
                        new SourcedEngagementDeserializer(config.registry(), STAGE)),
                CatalogSources.fromEarliest(
                        config, Topic.SID_ASSIGNMENTS, SidAssigned.class, windows.groupId() + "-catalog", STAGE),
                CatalogSources.fromEarliest(
                        config, Topic.VIDEO_REMOVALS, VideoRemoved.class, windows.groupId() + "-catalog", STAGE),
                kafka.sink(
                        Topic.TRAINING_EXAMPLES,
                        TrainingExample.class,
                        TrainingExample::getUserId,
                        prefix + "-examples",
                        EXAMPLE_PRODUCER_DEFAULTS),
                windows.fileSinkEnabled() ? Optional.of(ExampleFiles.sink(windows.fileSinkPath())) : Optional.empty(),
                kafka.deadLetterSink(prefix + "-dlq"),
                windows,
                config.registry());
    }

    /** Builds the job into {@code env} and submits it without waiting for it to end. */
    public JobClient start(StreamExecutionEnvironment env) throws Exception {
        build(env);
        return env.executeAsync(NAME);
    }

    /** The configured job on a fresh environment from {@code flink.*}, submitted without waiting. */
    public static JobClient start(SidstreamConfig config) throws Exception {
        return fromConfig(config).start(JobEnvironments.create(FlinkJobConfig.from(config)));
    }

    /** The configured job on a fresh environment from {@code flink.*}, until it ends: what the entry points run. */
    public static void run(SidstreamConfig config) throws Exception {
        StreamExecutionEnvironment env = JobEnvironments.create(FlinkJobConfig.from(config));
        fromConfig(config).build(env);
        env.execute(NAME);
    }

    /** Wires the job into {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        // every type is declared (WindowTypes); a Kryo fallback would be a bug, so it fails the job instead
        Configuration settings = new Configuration();
        settings.set(PipelineOptions.GENERIC_TYPES, false);
        // no defensive copies between chained operators: no function keeps or changes a record after emitting it,
        // and records from the network are fresh objects, so the join may keep waiting engagements as they are
        settings.set(PipelineOptions.OBJECT_REUSE, true);
        StateBackendSettings.apply(settings, config.stateBackend());
        env.configure(settings);
        // explicit, so the key groups of the job's state never depend on the parallelism it first ran at
        env.setMaxParallelism(config.maxParallelism());
        WatermarkStrategy<Either<DeadLetter, SourcedEngagement>> eventTime =
                WatermarkStrategy.<Either<DeadLetter, SourcedEngagement>>forBoundedOutOfOrderness(
                                config.outOfOrderness())
                        // dead letters carry no event time; MIN_VALUE keeps them from moving the watermark
                        .withTimestampAssigner((record, kafkaTime) -> record.isRight()
                                ? record.right().engagement.getEventTime().toEpochMilli()
                                : Long.MIN_VALUE)
                        .withIdleness(config.sourceIdleness());
        SingleOutputStreamOperator<SourcedEngagement> engagementStream = DeadLetterOutput.split(
                        env.fromSource(engagements, eventTime, "engagements").uid("engagements-source"),
                        WindowTypes.SOURCED_ENGAGEMENT)
                .uid("engagements-decoded");

        SingleOutputStreamOperator<SidAssigned> assignmentStream = DeadLetterOutput.split(
                        env.fromSource(assignments, new EndOfTimeWatermarks<>(), "sid-assignments")
                                .uid("sid-assignments-source"),
                        SidAssigned.class)
                .uid("sid-assignments-decoded");
        SingleOutputStreamOperator<VideoRemoved> removalStream = DeadLetterOutput.split(
                        env.fromSource(removals, new EndOfTimeWatermarks<>(), "video-removals")
                                .uid("video-removals-source"),
                        VideoRemoved.class)
                .uid("video-removals-decoded");
        DataStream<Either<SidAssigned, VideoRemoved>> catalog = assignmentStream
                .map(a -> Either.<SidAssigned, VideoRemoved>Left(a), WindowTypes.CATALOG_CHANGE)
                .name("as catalog change")
                .union(removalStream
                        .map(r -> Either.<SidAssigned, VideoRemoved>Right(r), WindowTypes.CATALOG_CHANGE)
                        .name("as catalog change"));

        EngagementRejections rejections = new EngagementRejections(registry, STAGE);
        SingleOutputStreamOperator<ResolvedEngagement> joined = engagementStream
                .connect(catalog)
                .keyBy(sourced -> sourced.engagement.getVideoId(), SequenceWindowsJob::videoId, Types.STRING)
                .process(new SidJoin(config, rejections), WindowTypes.RESOLVED)
                .uid("sid-join")
                .name("join SIDs by video");

        SingleOutputStreamOperator<TrainingExample> trainingExamples = joined.keyBy(
                        resolved -> resolved.engagement.getUserId(), Types.STRING)
                .process(new UserHistory(config), WindowTypes.TRAINING_EXAMPLE)
                .uid("user-history")
                .name("user histories");
        trainingExamples
                .transform("write-time timestamps", WindowTypes.TRAINING_EXAMPLE, new WriteTimeTimestamps<>())
                .sinkTo(examples)
                .uid("training-examples-sink")
                .name("training-examples");
        exampleFiles.ifPresent(files ->
                trainingExamples.sinkTo(files).uid("training-examples-files").name("training-example files"));

        long lateness = config.allowedLateness().toMillis();
        DataStream<DeadLetter> late = joined.getSideOutput(SidJoin.LATE)
                .map(
                        e -> rejections.reject(
                                e,
                                EngagementRejections.LATE,
                                "event time older than the watermark minus the allowed lateness (" + lateness + " ms)"),
                        new AvroTypeInfo<>(DeadLetter.class))
                .name("late engagements as dead letters");
        engagementStream
                .getSideOutput(DeadLetterOutput.TAG)
                .union(
                        assignmentStream.getSideOutput(DeadLetterOutput.TAG),
                        removalStream.getSideOutput(DeadLetterOutput.TAG),
                        joined.getSideOutput(DeadLetterOutput.TAG),
                        late)
                .transform("write-time timestamps", new AvroTypeInfo<>(DeadLetter.class), new WriteTimeTimestamps<>())
                .sinkTo(deadLetters)
                .uid("dead-letter-sink")
                .name("dead letters");
    }

    private static String videoId(Either<SidAssigned, VideoRemoved> change) {
        return change.isLeft() ? change.left().getVideoId() : change.right().getVideoId();
    }
}
