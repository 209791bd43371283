package io.sidstream.tokenizer.job;

/**
 * A video's quantized prefix under one codebook version, on its way to the collision stage (keyed by version and
 * prefix). A Flink POJO.
 */
public class SidRequest {

    public String videoId;
    public String embeddingModel;
    public String codebookVersion;
    public int[] prefix;
    public int maxCollisionTokens;
    public long uploadTime;
    /** False for re-assignments under a new codebook: their latency is not an upload's. */
    public boolean fresh;

    public SidRequest() {
    }

    public SidRequest(String videoId, String embeddingModel, String codebookVersion, int[] prefix, int maxCollisionTokens,
                      long uploadTime, boolean fresh) {
        this.videoId = videoId;
        this.embeddingModel = embeddingModel;
        this.codebookVersion = codebookVersion;
        this.prefix = prefix;
        this.maxCollisionTokens = maxCollisionTokens;
        this.uploadTime = uploadTime;
        this.fresh = fresh;
    }

    /** The collision stage's key: a prefix only means something within its codebook version. */
    public String prefixKey() {
        return codebookVersion + "/" + io.sidstream.core.sid.Sid.prefixKey(prefix);
    }
}
