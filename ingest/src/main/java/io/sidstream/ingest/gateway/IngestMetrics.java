package io.sidstream.ingest.gateway;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;

/** The gateway's metrics, on the default Prometheus registry beside the platform's dead-letter counter. */
public final class IngestMetrics {

    /** Events by kind and outcome: accepted, rejected (invalid, sent to the DLQ), unavailable (Kafka failed). */
    public static final Counter EVENTS = Counter.builder()
            .name("sidstream_ingest_events_total")
            .help("Events received by the ingest gateway, by kind and outcome.")
            .labelNames("kind", "outcome")
            .register();

    /** Requests by kind and HTTP status. */
    public static final Counter REQUESTS = Counter.builder()
            .name("sidstream_ingest_requests_total")
            .help("Ingest gateway requests, by kind and HTTP status.")
            .labelNames("kind", "status")
            .register();

    /** From request received to every event of it acknowledged by Kafka (or refused). */
    public static final Histogram ACCEPT_LATENCY = Histogram.builder()
            .name("sidstream_ingest_accept_latency_seconds")
            .help("Time from receiving a request to answering it, Kafka acknowledgement included.")
            .labelNames("kind")
            .classicExponentialUpperBounds(0.001, 2, 16)
            .register();

    public static final Counter REQUEST_BYTES = Counter.builder()
            .name("sidstream_ingest_request_bytes_total")
            .help("Bytes of request bodies received by the ingest gateway.")
            .labelNames("kind")
            .register();

    public static final Gauge IN_FLIGHT = Gauge.builder()
            .name("sidstream_ingest_in_flight_events")
            .help("Events received and not yet answered (bounded by ingest.gateway.max-in-flight-events).")
            .register();

    private IngestMetrics() {}
}
