package io.sidstream.tokenizer.job;

/**
 * A video whose state is written but whose request has not gone out yet: it waits for its quantization batch, and a
 * checkpoint taken meanwhile keeps it (operator state), so it is emitted after a restore. A Flink POJO.
 */
public class PendingUpload {

    public String videoId;
    public VideoState state;
    /** False for a re-assignment under a new codebook. */
    public boolean fresh;

    public PendingUpload() {}

    public PendingUpload(String videoId, VideoState state, boolean fresh) {
        this.videoId = videoId;
        this.state = state;
        this.fresh = fresh;
    }
}
