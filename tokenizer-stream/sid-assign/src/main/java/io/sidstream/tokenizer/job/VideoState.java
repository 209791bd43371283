package io.sidstream.tokenizer.job;

/**
 * What the job keeps per video id: its embedding (to re-assign it under a new codebook), its upload time, and the
 * codebook version its SID was assigned under (null while it waits for a first codebook of its embedding space).
 * A Flink POJO.
 */
public class VideoState {

    public float[] embedding;
    public String embeddingModel;
    public long uploadTime;
    public String codebookVersion;

    public VideoState() {
    }

    public VideoState(float[] embedding, String embeddingModel, long uploadTime) {
        this.embedding = embedding;
        this.embeddingModel = embeddingModel;
        this.uploadTime = uploadTime;
    }

    public boolean pending() {
        return codebookVersion == null;
    }
}
