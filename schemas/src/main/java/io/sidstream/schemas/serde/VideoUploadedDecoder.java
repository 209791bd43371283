package io.sidstream.schemas.serde;

import io.sidstream.schemas.VideoUploaded;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.PrimitivesArrays;
import org.apache.avro.io.BinaryDecoder;

/**
 * Reads a {@link VideoUploaded} written in exactly the layout of the schema it was written for, field by field from
 * Avro's {@link BinaryDecoder}: what Avro's compiler generates as {@code customDecode} for records without logical
 * types (it generates none for this one, whose {@code uploadTime} is a timestamp). Uploads carry 384 floats, and
 * Avro's resolving reader boxed each one and advanced its grammar per element: about a fifth of sid-assign's CPU per
 * upload. The embedding lands in Avro's own primitive float array, so readers that call {@code getFloat} box nothing.
 *
 * <p>{@link #reads(Schema)} admits a writer schema only when its parsing canonical form (the fields, their order and
 * types: what decides the bytes) is the one this code was written for, and the generated class still has it too; any
 * other writer schema goes through Avro's resolving reader. {@code VideoUploadedDecoderTest} fails when the schema
 * changes, so this class is updated with it.
 */
final class VideoUploadedDecoder {

    /** Parsing-canonical-form fingerprint (64-bit Rabin) of the schema this decoder reads. */
    static final long WRITTEN_FOR = 5507456836467616729L;

    private static final Schema FLOAT_ARRAY = Schema.createArray(Schema.create(Schema.Type.FLOAT));
    /** Initial room for an embedding: a corrupt block count must not allocate gigabytes before the bytes run out. */
    private static final int MAX_INITIAL_CAPACITY = 4096;

    private static final boolean GENERATED_CLASS_MATCHES = fingerprint(VideoUploaded.getClassSchema()) == WRITTEN_FOR;

    private VideoUploadedDecoder() {}

    static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** Whether records written with {@code writer} have the layout this decoder reads. */
    static boolean reads(Schema writer) {
        return GENERATED_CLASS_MATCHES && fingerprint(writer) == WRITTEN_FOR;
    }

    static VideoUploaded decode(BinaryDecoder in) throws IOException {
        String videoId = in.readString();
        String creatorId = in.readString();
        String title = in.readString();
        String description = in.readString();
        List<String> tags = new ArrayList<>();
        for (long n = in.readArrayStart(); n != 0; n = in.arrayNext()) {
            for (long i = 0; i < n; i++) {
                tags.add(in.readString());
            }
        }
        String language = nullOrString(in, "language");
        long durationMs = in.readLong();
        Instant uploadTime = Instant.ofEpochMilli(in.readLong());
        PrimitivesArrays.FloatArray embedding = null;
        if (unionBranch(in, "contentEmbedding") == 1) {
            long n = in.readArrayStart();
            embedding =
                    new PrimitivesArrays.FloatArray((int) Math.min(Math.max(n, 0), MAX_INITIAL_CAPACITY), FLOAT_ARRAY);
            for (; n != 0; n = in.arrayNext()) {
                for (long i = 0; i < n; i++) {
                    embedding.add(embedding.size(), in.readFloat());
                }
            }
        }
        String embeddingModel = nullOrString(in, "embeddingModel");
        return new VideoUploaded(
                videoId,
                creatorId,
                title,
                description,
                tags,
                language,
                durationMs,
                uploadTime,
                embedding,
                embeddingModel);
    }

    private static String nullOrString(BinaryDecoder in, String field) throws IOException {
        return unionBranch(in, field) == 1 ? in.readString() : null;
    }

    /** The branch of a {@code ["null", X]} union: 0 (null, which has no bytes) or 1. */
    private static int unionBranch(BinaryDecoder in, String field) throws IOException {
        int branch = in.readIndex();
        if (branch != 0 && branch != 1) {
            throw new AvroRuntimeException("union branch " + branch + " of " + field + " does not exist (0 or 1)");
        }
        return branch;
    }
}
