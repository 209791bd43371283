package io.sidstream.trainer.train;

/** What a training run did: steps, examples and positions (tokens) seen, time, and the mean loss of its last steps. */
public record TrainStats(long steps, long examples, long tokens, double seconds, double lastLoss) {

    public double examplesPerSecond() {
        return seconds > 0 ? examples / seconds : 0;
    }

    public double tokensPerSecond() {
        return seconds > 0 ? tokens / seconds : 0;
    }
}
