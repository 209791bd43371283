package io.sidstream.platform.status;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The most recent points of one line on a chart: (epoch millis, value), oldest first, bounded. */
final class Series {

    private final int capacity;
    private final ArrayDeque<double[]> points = new ArrayDeque<>();

    Series(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(long timeMillis, double value) {
        if (points.size() == capacity) {
            points.removeFirst();
        }
        points.addLast(new double[] {timeMillis, value});
    }

    synchronized List<double[]> points() {
        return new ArrayList<>(points);
    }
}
