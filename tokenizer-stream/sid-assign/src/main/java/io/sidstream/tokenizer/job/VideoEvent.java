package io.sidstream.tokenizer.job;

import io.sidstream.schemas.VideoRemoved;
import io.sidstream.schemas.VideoUploaded;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.PrimitivesArrays;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * What the per-video stage gets: an upload (its embedding as a {@code float[]}) or a removal. A Flink POJO.
 *
 * <p>Why not the Avro {@code VideoUploaded}: its embedding is a {@code List<Float>}, and Avro (de)serialized those 384
 * boxed floats at every network hop, more time than the hop itself ({@code bench sid-assign} profile). The rest of
 * the upload travels without its embedding, only to write it back whole into a dead letter.
 */
public class VideoEvent {

    public static final TypeInformation<VideoEvent> TYPE = Types.POJO(
            VideoEvent.class,
            Map.of(
                    "videoId", Types.STRING,
                    "removed", Types.BOOLEAN,
                    "embedding", Types.PRIMITIVE_ARRAY(Types.FLOAT),
                    "embeddingModel", Types.STRING,
                    "uploadTime", Types.LONG,
                    "upload", new AvroTypeInfo<>(VideoUploaded.class)));

    public String videoId;
    public boolean removed;
    /** Null for a removal. */
    public float[] embedding;

    public String embeddingModel;
    public long uploadTime;
    /** The upload without its embedding (null for a removal). */
    public VideoUploaded upload;

    public VideoEvent() {}

    /** An upload that carries its embedding (validated: present, finite). */
    public static VideoEvent of(VideoUploaded upload) {
        return of(upload, floats(upload.getContentEmbedding()), upload.getEmbeddingModel());
    }

    /**
     * The values of a decoded Avro float array, without boxing each one: Avro keeps them in a {@code float[]} behind
     * its {@code List<Float>}, whose {@code get} makes a new {@code Float} per call. Null elements (only in a list
     * built by hand) become NaN, which validation rejects.
     */
    static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        if (values instanceof PrimitivesArrays.FloatArray primitive) {
            for (int i = 0; i < out.length; i++) {
                out[i] = primitive.getFloat(i);
            }
        } else {
            for (int i = 0; i < out.length; i++) {
                Float value = values.get(i);
                out[i] = value == null ? Float.NaN : value;
            }
        }
        return out;
    }

    /** An upload with an embedding the job computed (the upload itself carries none). */
    public static VideoEvent of(VideoUploaded upload, float[] embedding, String embeddingModel) {
        VideoEvent event = new VideoEvent();
        event.videoId = upload.getVideoId();
        event.embedding = embedding;
        event.embeddingModel = embeddingModel;
        event.uploadTime = upload.getUploadTime().toEpochMilli();
        // a copy: the original may be shared with other operators of the chain (object reuse)
        event.upload = new VideoUploaded(
                upload.getVideoId(),
                upload.getCreatorId(),
                upload.getTitle(),
                upload.getDescription(),
                upload.getTags(),
                upload.getLanguage(),
                upload.getDurationMs(),
                upload.getUploadTime(),
                null,
                null);
        return event;
    }

    public static VideoEvent of(VideoRemoved removal) {
        VideoEvent event = new VideoEvent();
        event.videoId = removal.getVideoId();
        event.removed = true;
        return event;
    }

    /** The upload as the job saw it, embedding included: what a dead letter about it carries. */
    public VideoUploaded toUpload() {
        Float[] boxed = new Float[embedding.length];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = embedding[i];
        }
        return new VideoUploaded(
                upload.getVideoId(),
                upload.getCreatorId(),
                upload.getTitle(),
                upload.getDescription(),
                upload.getTags(),
                upload.getLanguage(),
                upload.getDurationMs(),
                upload.getUploadTime(),
                List.of(boxed),
                embeddingModel);
    }
}
