package io.sidstream.tokenizer.job;

import io.sidstream.core.deadletter.DeadLetterMetrics;
import io.sidstream.core.deadletter.DeadLetters;
import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.CodebookPublished;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.VideoUploaded;
import io.sidstream.schemas.serde.AvroWireSerializer;
import io.sidstream.schemas.serde.RegistryConfig;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Dead letters of the sid-assign job. A rejected upload or codebook is written back in the registry wire format, so it
 * can be fixed and replayed; its key is the record's key (video id, embedding model).
 */
public final class DeadLetterFactory implements Serializable {

    private static final long serialVersionUID = 1L;
    public static final String STAGE = "sid-assign";
    public static final String INVALID_EVENT = "INVALID_EVENT";
    public static final String DIMENSION_MISMATCH = "EMBEDDING_DIMENSION_MISMATCH";
    public static final String PREFIX_FULL = "PREFIX_FULL";
    public static final String INVALID_CODEBOOK = "INVALID_CODEBOOK";
    public static final String TEXT_ENCODING_FAILED = "TEXT_ENCODING_FAILED";

    private final RegistryConfig registry;
    private transient AvroWireSerializer<VideoUploaded> uploads;
    private transient AvroWireSerializer<CodebookPublished> codebooks;

    public DeadLetterFactory(RegistryConfig registry) {
        this.registry = registry;
    }

    public DeadLetter upload(VideoUploaded upload, String errorClass, String reason) {
        if (uploads == null) {
            uploads = AvroWireSerializer.create(registry, VideoUploaded.class);
        }
        byte[] payload = uploads.serialize(Topic.VIDEO_UPLOADS.topicName(), upload);
        return letter(Topic.VIDEO_UPLOADS, upload.getVideoId(), payload, errorClass, reason);
    }

    /** A video rejected after its upload record was gone (only its id and a description are left). */
    public DeadLetter video(String videoId, String description, String errorClass, String reason) {
        return letter(Topic.VIDEO_UPLOADS, videoId, description.getBytes(StandardCharsets.UTF_8), errorClass, reason);
    }

    public DeadLetter codebook(CodebookPublished codebook, String reason) {
        if (codebooks == null) {
            codebooks = AvroWireSerializer.create(registry, CodebookPublished.class);
        }
        byte[] payload = codebooks.serialize(Topic.CODEBOOKS.topicName(), codebook);
        return letter(Topic.CODEBOOKS, codebook.getEmbeddingModel(), payload, INVALID_CODEBOOK, reason);
    }

    private static DeadLetter letter(Topic topic, String key, byte[] payload, String errorClass, String reason) {
        DeadLetterMetrics.DEAD_LETTERS
                .labelValues(topic.topicName(), errorClass, STAGE)
                .inc();
        DeadLetter letter = DeadLetters.rejectedInput(topic.topicName(), payload, errorClass, reason, STAGE);
        letter.setKey(key == null ? null : ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)));
        return letter;
    }
}
