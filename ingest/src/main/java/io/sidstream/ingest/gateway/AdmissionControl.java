package io.sidstream.ingest.gateway;

import java.util.concurrent.Semaphore;

/**
 * A budget of events in flight (received, not yet answered) over all requests. A request that does not fit is
 * refused at once with 429 instead of queueing, so memory stays bounded however fast clients send.
 */
public final class AdmissionControl {

    private final int capacity;
    private final Semaphore permits;

    public AdmissionControl(int capacity) {
        this.capacity = capacity;
        this.permits = new Semaphore(capacity);
    }

    public boolean tryAdmit(int events) {
        return permits.tryAcquire(Math.max(1, events));
    }

    public void release(int events) {
        permits.release(Math.max(1, events));
    }

    public int inFlight() {
        return capacity - permits.availablePermits();
    }
}
