package io.sidstream.tokenizer.job;

/**
 * What the job keeps per video id: its embedding (to re-assign it under a new codebook), its upload time, and the
 * codebook version its SID was assigned under (null while it waits for a first codebook of its embedding space).
 * A Flink POJO.
 *
 * <p>The embedding is kept in half precision ({@link HalfFloats}): it is most of the bytes RocksDB writes, flushes,
 * compacts and copies into every incremental checkpoint, and half of them cost sid-assign a fifth of its CPU per
 * upload. The SID is the quantizer's code of the embedding as kept, on first assignment and re-assignment alike, so a
 * video keeps its codes under the same codebook. An embedding with values beyond half's range (±65504) is kept in
 * {@link #embedding} as floats, as states written before half precision are.
 */
public class VideoState {

    /** Full precision: states written before half precision, or values out of its range; otherwise null. */
    public float[] embedding;
    /** Half precision bits, or null when {@link #embedding} holds the vector. */
    public short[] halfEmbedding;

    public String embeddingModel;
    public long uploadTime;
    public String codebookVersion;

    public VideoState() {}

    /** Keeps {@code embedding} in half precision when it fits. */
    public VideoState(float[] embedding, String embeddingModel, long uploadTime) {
        if (HalfFloats.fits(embedding)) {
            this.halfEmbedding = HalfFloats.encode(embedding);
        } else {
            this.embedding = embedding;
        }
        this.embeddingModel = embeddingModel;
        this.uploadTime = uploadTime;
    }

    /** The embedding as kept: what the video's SID is quantized from. */
    public float[] vector() {
        return halfEmbedding != null ? HalfFloats.decode(halfEmbedding) : embedding;
    }

    public int dimension() {
        return halfEmbedding != null ? halfEmbedding.length : embedding.length;
    }

    public boolean pending() {
        return codebookVersion == null;
    }
}
