package io.sidstream.tokenizer.window.job;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Watermarks of a stream that takes no part in event time (the SID catalog): always at the end of time, so an
 * operator joining it with engagements has exactly the engagements' watermark. A stream without watermarks would
 * hold the join's watermark at its minimum forever; an idle one would hold it back whenever it wakes up.
 */
public final class EndOfTimeWatermarks<T> implements WatermarkStrategy<T> {

    private static final long serialVersionUID = 1L;

    @Override
    public WatermarkGenerator<T> createWatermarkGenerator(WatermarkGeneratorSupplier.Context context) {
        return new WatermarkGenerator<>() {
            @Override
            public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.emitWatermark(new Watermark(Long.MAX_VALUE));
            }
        };
    }
}
