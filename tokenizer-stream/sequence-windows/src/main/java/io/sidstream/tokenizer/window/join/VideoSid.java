package io.sidstream.tokenizer.window.join;

/** The join's state per video: its latest SID and codebook version, or that it was removed (a Flink POJO). */
public class VideoSid {

    public int[] codes;
    public String codebookVersion;
    public boolean removed;

    public VideoSid() {}

    public VideoSid(int[] codes, String codebookVersion, boolean removed) {
        this.codes = codes;
        this.codebookVersion = codebookVersion;
        this.removed = removed;
    }
}
