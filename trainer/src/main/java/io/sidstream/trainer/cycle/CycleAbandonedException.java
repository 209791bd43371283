package io.sidstream.trainer.cycle;

/** A cycle given up because the trainer is stopping; not a failure: nothing was written and nothing is lost. */
public final class CycleAbandonedException extends RuntimeException {

    public CycleAbandonedException(String message) {
        super(message);
    }
}
