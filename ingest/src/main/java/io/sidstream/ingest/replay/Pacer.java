package io.sidstream.ingest.replay;

/**
 * Holds events back so that event time passes {@code speed} times faster than wall time (86400: a day per second);
 * a speed of 0 means as fast as possible.
 */
public final class Pacer {

    private final double speed;
    private long firstEventTime = Long.MIN_VALUE;
    private long wallStartNanos;

    public Pacer(double speed) {
        if (speed < 0 || Double.isNaN(speed)) {
            throw new IllegalArgumentException("speed must be positive (or 0 for as fast as possible), was " + speed);
        }
        this.speed = speed;
    }

    /** Waits until the event at this time is due. */
    public void await(long eventTime) throws InterruptedException {
        if (speed == 0) {
            return;
        }
        if (firstEventTime == Long.MIN_VALUE) {
            firstEventTime = eventTime;
            wallStartNanos = System.nanoTime();
            return;
        }
        long dueNanos = wallStartNanos + (long) ((eventTime - firstEventTime) * 1_000_000.0 / speed);
        long wait = dueNanos - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }
}
