package io.sidstream.tokenizer.job;

/**
 * A video's quantized prefix under one codebook version, on its way to the collision stage (keyed by version and
 * prefix), or the removal of a video, under the key of the SID it was last sent with: the tombstone then travels
 * behind that SID on one path and cannot overtake it. A Flink POJO.
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
    /** A removal: the collision stage forwards a tombstone and hands out nothing. */
    public boolean removal;

    public SidRequest() {}

    public SidRequest(
            String videoId,
            String embeddingModel,
            String codebookVersion,
            int[] prefix,
            int maxCollisionTokens,
            long uploadTime,
            boolean fresh) {
        this.videoId = videoId;
        this.embeddingModel = embeddingModel;
        this.codebookVersion = codebookVersion;
        this.prefix = prefix;
        this.maxCollisionTokens = maxCollisionTokens;
        this.uploadTime = uploadTime;
        this.fresh = fresh;
    }

    /**
     * The removal of {@code videoId}, whose last SID request had this version and prefix; null prefix when it had none
     * (a video never assigned, or unknown here).
     */
    public static SidRequest removal(String videoId, String codebookVersion, int[] prefix) {
        SidRequest removal = new SidRequest(videoId, null, codebookVersion, prefix, 0, 0L, false);
        removal.removal = true;
        return removal;
    }

    /**
     * The collision stage's key: a prefix only means something within its codebook version. A removal without a SID
     * has no request to stay behind, so it is keyed by its video.
     */
    public String prefixKey() {
        if (prefix == null) {
            return "removed/" + videoId;
        }
        return codebookVersion + "/" + io.sidstream.core.sid.Sid.prefixKey(prefix);
    }
}
