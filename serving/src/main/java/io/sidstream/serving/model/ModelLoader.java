package io.sidstream.serving.model;

import io.sidstream.schemas.CheckpointPublished;
import java.util.List;

/** Fetches, verifies and loads the checkpoint an announcement names; throws with the reason when it cannot. */
@FunctionalInterface
public interface ModelLoader {

    ServingModel load(CheckpointPublished announcement) throws Exception;

    /**
     * Older published versions of the same model line that a node may serve instead of {@code rejected}, newest
     * first, each as an announcement {@link #load} can take; none by default.
     */
    default List<CheckpointPublished> olderVersions(CheckpointPublished rejected) {
        return List.of();
    }
}
