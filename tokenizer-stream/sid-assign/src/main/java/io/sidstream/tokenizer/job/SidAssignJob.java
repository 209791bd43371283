package io.sidstream.tokenizer.job;

import io.sidstream.core.config.ConfigLoader;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.flink.job.FlinkJobConfig;
import io.sidstream.flink.job.JobEnvironments;
import io.sidstream.flink.job.StateBackendSettings;
import io.sidstream.flink.kafka.AvroKafkaDeserializer;
import io.sidstream.flink.kafka.DeadLetterOutput;
import io.sidstream.flink.kafka.Decoded;
import io.sidstream.flink.kafka.KafkaConnectors;
import io.sidstream.schemas.CodebookPublished;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.VideoRemoved;
import io.sidstream.schemas.VideoUploaded;
import io.sidstream.schemas.serde.RegistryConfig;
import io.sidstream.tokenizer.embed.EmbedderFactory;
import io.sidstream.tokenizer.sid.SidConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.typeutils.EitherTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Either;

/**
 * The sid-assign job: uploads -> validate -> embed text when the upload carries no embedding -> quantize with the
 * current codebook of its embedding space (broadcast from the {@code codebooks} topic) -> collision token per prefix
 * -> {@code sid-assignments} (compacted, keyed by video id), exactly-once when {@code flink.delivery} says so. Removals
 * become tombstones on the same topic; every rejected input goes to its topic's {@code .dlq}.
 *
 * <p>Sources and sinks come in through the constructor (tests and benchmarks pass their own); {@link #main} builds
 * them from the configuration for {@code flink run}.
 */
public final class SidAssignJob {

    public static final String NAME = "sid-assign";

    public static final TypeInformation<Either<String, SidAssigned>> SID_OUTPUT =
            new EitherTypeInfo<>(Types.STRING, new AvroTypeInfo<>(SidAssigned.class));

    private final Source<Either<DeadLetter, VideoUploaded>, ?, ?> uploads;
    private final Source<Either<DeadLetter, VideoRemoved>, ?, ?> removals;
    private final Source<Either<DeadLetter, CodebookPublished>, ?, ?> codebooks;
    private final Sink<Either<String, SidAssigned>> sids;
    private final Sink<DeadLetter> deadLetterSink;
    private final SidConfig config;
    private final EmbedderFactory embedder;
    private final int textDimension;
    private final DeadLetterFactory deadLetters;

    /**
     * @param textDimension the dimension of the text encoder's embeddings, checked on uploads that claim its space
     */
    public SidAssignJob(
            Source<Either<DeadLetter, VideoUploaded>, ?, ?> uploads,
            Source<Either<DeadLetter, VideoRemoved>, ?, ?> removals,
            Source<Either<DeadLetter, CodebookPublished>, ?, ?> codebooks,
            Sink<Either<String, SidAssigned>> sids,
            Sink<DeadLetter> deadLetterSink,
            SidConfig config,
            EmbedderFactory embedder,
            int textDimension,
            RegistryConfig registry) {
        this.uploads = uploads;
        this.removals = removals;
        this.codebooks = codebooks;
        this.sids = sids;
        this.deadLetterSink = deadLetterSink;
        this.config = config;
        this.embedder = embedder;
        this.textDimension = textDimension;
        this.deadLetters = new DeadLetterFactory(registry);
    }

    /** The job over the configured cluster's topics, with the MiniLM text encoder. */
    public static SidAssignJob fromConfig(SidstreamConfig config) {
        SidConfig sid = SidConfig.from(config);
        KafkaConnectors kafka = new KafkaConnectors(config);
        String group = sid.groupId();
        return new SidAssignJob(
                kafka.source(Topic.VIDEO_UPLOADS, VideoUploaded.class, group, DeadLetterFactory.STAGE),
                kafka.source(Topic.VIDEO_REMOVALS, VideoRemoved.class, group, DeadLetterFactory.STAGE),
                codebookSource(config, group + "-codebooks"),
                kafka.sink(new SidOutputSerializer(config.registry()), sid.transactionalIdPrefix() + "-sids"),
                kafka.deadLetterSink(sid.transactionalIdPrefix() + "-dlq"),
                sid,
                EmbedderFactory.onnx(sid.textModel(), sid.embeddingThreads()),
                sid.textModel().dimension(),
                config.registry());
    }

    /**
     * The codebooks topic is read from its beginning on a fresh start (it is compacted: the current codebook of every
     * embedding space), so a job that starts without a checkpoint still finds the codebook in use.
     */
    public static KafkaSource<Either<DeadLetter, CodebookPublished>> codebookSource(
            SidstreamConfig config, String group) {
        Properties properties = new Properties();
        config.kafka().consumer(group).forEach((k, v) -> properties.setProperty(k, String.valueOf(v)));
        properties.remove("bootstrap.servers");
        properties.setProperty("max.partition.fetch.bytes", String.valueOf(Topic.LARGE_RECORD_BYTES));
        properties.setProperty("fetch.max.bytes", String.valueOf(Topic.LARGE_RECORD_BYTES));
        return KafkaSource.<Either<DeadLetter, CodebookPublished>>builder()
                .setBootstrapServers(config.kafka().bootstrapServers())
                .setProperties(properties)
                .setGroupId(group)
                .setTopics(Topic.CODEBOOKS.topicName())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new AvroKafkaDeserializer<>(
                        config.registry(), CodebookPublished.class, DeadLetterFactory.STAGE))
                .build();
    }

    /** Wires the job into {@code env}. */
    public void build(StreamExecutionEnvironment env) {
        Configuration settings = new Configuration();
        // every type is declared; a Kryo fallback would be a bug, so it fails the job instead
        settings.set(PipelineOptions.GENERIC_TYPES, false);
        // no function keeps or changes a record it was handed, so chained operators may pass records on without the
        // deep copy Flink otherwise makes (half the source chain's time went into copying uploads)
        settings.set(PipelineOptions.OBJECT_REUSE, true);
        // every fresh upload looks its video id up and finds nothing: the bloom filters answer that without a read
        StateBackendSettings.applyWriteOnce(settings, config.stateBackend());
        // the job's only timers are the per-video stage's 1 ms batch flushes, a handful at a time: on the heap they
        // cost nothing to register and fire, in RocksDB a write and a delete each
        settings.set(RocksDBOptions.TIMER_SERVICE_FACTORY, EmbeddedRocksDBStateBackend.PriorityQueueStateType.HEAP);
        env.configure(settings);
        // explicit, so the key groups of the job's state never depend on the parallelism it first ran at
        env.setMaxParallelism(config.maxParallelism());
        SingleOutputStreamOperator<VideoUploaded> uploaded = read(env, uploads, VideoUploaded.class, "video-uploads");
        SingleOutputStreamOperator<VideoRemoved> removed = read(env, removals, VideoRemoved.class, "video-removals");
        SingleOutputStreamOperator<CodebookPublished> announced =
                read(env, codebooks, CodebookPublished.class, "codebooks");

        SingleOutputStreamOperator<VideoUploaded> valid = uploaded.process(
                        new UploadValidator(deadLetters, config.embeddingModel(), textDimension),
                        new AvroTypeInfo<>(VideoUploaded.class))
                .uid("validate-uploads")
                .name("validate uploads");

        DataStream<VideoEvent> carried = valid.filter(u -> u.getContentEmbedding() != null)
                .uid("uploads-with-embedding")
                .name("uploads with an embedding")
                .map(VideoEvent::of, VideoEvent.TYPE)
                .uid("carried-as-events");
        DataStream<VideoUploaded> needText = valid.filter(u -> u.getContentEmbedding() == null)
                .uid("uploads-without-embedding")
                .name("uploads to embed");
        SingleOutputStreamOperator<VideoEvent> embedded = DeadLetterOutput.split(
                        AsyncDataStream.unorderedWait(
                                        needText,
                                        new EmbedFunction(
                                                embedder,
                                                deadLetters,
                                                config.embeddingBatchSize(),
                                                config.maxBatchWait()),
                                        2,
                                        TimeUnit.MINUTES,
                                        config.embeddingBatchSize() * 4)
                                .returns(new EitherTypeInfo<>(new AvroTypeInfo<>(DeadLetter.class), VideoEvent.TYPE))
                                .uid("embed-text")
                                .name("embed title, description, tags"),
                        VideoEvent.TYPE)
                .uid("embedded-as-events");

        // every branch becomes a VideoEvent inside its own chain, so the one shuffle (keyBy) moves float[]s
        DataStream<VideoEvent> events = carried.union(
                embedded, removed.map(VideoEvent::of, VideoEvent.TYPE).uid("removals-as-events"));

        BroadcastStream<CodebookPublished> codebookBroadcast = announced.broadcast(VideoSidFunction.CODEBOOKS);
        SingleOutputStreamOperator<SidRequest> requests = events.keyBy(event -> event.videoId, Types.STRING)
                .connect(codebookBroadcast)
                .process(new VideoSidFunction(deadLetters), TypeInformation.of(SidRequest.class))
                .uid("quantize")
                .name("quantize per video");

        // SIDs and tombstones leave the collision stage on one path, so the sink is chained to it: no hop in between
        SingleOutputStreamOperator<Either<String, SidAssigned>> assigned = requests.keyBy(
                        SidRequest::prefixKey, Types.STRING)
                .process(new CollisionFunction(deadLetters), SID_OUTPUT)
                .uid("collision-tokens")
                .name("collision token per prefix");
        assigned.sinkTo(sids).uid("sid-assignments-sink").name("sid-assignments");

        uploaded.getSideOutput(DeadLetterOutput.TAG)
                .union(
                        removed.getSideOutput(DeadLetterOutput.TAG),
                        announced.getSideOutput(DeadLetterOutput.TAG),
                        valid.getSideOutput(DeadLetterOutput.TAG),
                        embedded.getSideOutput(DeadLetterOutput.TAG),
                        requests.getSideOutput(DeadLetterOutput.TAG),
                        assigned.getSideOutput(DeadLetterOutput.TAG))
                .sinkTo(deadLetterSink)
                .uid("dead-letter-sink")
                .name("dead letters");
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

    private static <T extends SpecificRecordBase> SingleOutputStreamOperator<T> read(
            StreamExecutionEnvironment env, Source<Either<DeadLetter, T>, ?, ?> source, Class<T> type, String name) {
        return DeadLetterOutput.split(
                env.fromSource(source, WatermarkStrategy.noWatermarks(), name, Decoded.type(type))
                        .uid(name + "-source"),
                type);
    }

    /** For {@code flink run}: the configuration file as the optional first argument, then SIDSTREAM_* variables. */
    public static void main(String[] args) throws Exception {
        run(ConfigLoader.load(
                Optional.ofNullable(args.length > 0 ? Path.of(args[0]) : null), System.getenv(), Map.of()));
    }
}
