package io.sidstream.serving.model;

import io.sidstream.schemas.CheckpointPublished;

/** Fetches, verifies and loads the checkpoint an announcement names; throws with the reason when it cannot. */
@FunctionalInterface
public interface ModelLoader {

    ServingModel load(CheckpointPublished announcement) throws Exception;
}
