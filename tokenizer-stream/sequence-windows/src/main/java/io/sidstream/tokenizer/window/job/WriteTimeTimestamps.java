package io.sidstream.tokenizer.window.job;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Drops the event-time timestamp of the records going to a Kafka sink, so the producer stamps them with the time
 * they are written. The Kafka sink otherwise uses the event time as the record timestamp, and the topic's retention
 * (7 days for training-examples) would delete a replay of older engagements as soon as it is written.
 */
final class WriteTimeTimestamps<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {

    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(StreamRecord<T> element) {
        element.eraseTimestamp();
        output.collect(element);
    }
}
