package io.sidstream.core.progress;

import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Where long work reports how far it got: a progress bar with rate and ETA on a console (me.tongfei's progressbar),
 * (the ETA is the progressbar's: the rate so far) or nothing (tests, services). Work takes a {@code Progress} and starts one {@link Task} per phase.
 */
public interface Progress {

    /** A phase of {@code total} units (0 when not known yet; {@link Task#maxHint} can tell it later). */
    Task start(String name, long total, String unit);

    /** One phase's bar. */
    interface Task extends AutoCloseable {
        void stepBy(long units);

        /** Text shown after the bar (loss, recall...). */
        void message(String text);

        /** The phase's total, once known or changed (an early stop ends a phase before its planned total). */
        void maxHint(long total);

        @Override
        void close();
    }

    /** Reports nothing. */
    static Progress silent() {
        return (name, total, unit) -> new Task() {
            @Override
            public void stepBy(long units) {}

            @Override
            public void message(String text) {}

            @Override
            public void maxHint(long total) {}

            @Override
            public void close() {}
        };
    }

    /** Progress bars on {@code out} (ASCII, so any terminal or log shows them), refreshed twice a second. */
    static Progress console(PrintStream out) {
        return (name, total, unit) -> {
            ProgressBar bar = new ProgressBarBuilder()
                    .setTaskName(name)
                    .setInitialMax(total > 0 ? total : -1)
                    .setUnit(" " + unit, 1)
                    .showSpeed()
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(500)
                    .setMaxRenderedLength(120)
                    .setConsumer(new ConsoleProgressBarConsumer(out))
                    .setSpeedUnit(ChronoUnit.SECONDS)
                    .build();
            return new Task() {
                @Override
                public void stepBy(long units) {
                    bar.stepBy(units);
                }

                @Override
                public void message(String text) {
                    bar.setExtraMessage(" " + text);
                }

                @Override
                public void maxHint(long newTotal) {
                    bar.maxHint(newTotal);
                }

                @Override
                public void close() {
                    bar.close();
                }
            };
        };
    }
}
