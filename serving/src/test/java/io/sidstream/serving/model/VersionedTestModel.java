package io.sidstream.serving.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stand-in for a trained model in the serving tests (the model itself is tested in the trainer): it answers
 * videos named after its version, and fails loudly if used after it was closed.
 */
public final class VersionedTestModel implements ServingModel {

    private final Info info;
    private final AtomicBoolean closed = new AtomicBoolean();

    public VersionedTestModel(String modelName, long version, Instant publishedTime) {
        this.info = new Info(modelName, version, "cb1", publishedTime);
    }

    @Override
    public Info info() {
        return info;
    }

    @Override
    public Result recommend(Query query, int k, int beamWidth) {
        if (closed.get()) {
            throw new IllegalStateException("model version " + info.version() + " used after close");
        }
        List<Scored> items = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            items.add(new Scored("v" + info.version() + "-" + i, -i));
        }
        return new Result(items, query.history().isEmpty() ? "popular" : "model");
    }

    @Override
    public void close() {
        closed.set(true);
    }

    public boolean closed() {
        return closed.get();
    }
}
