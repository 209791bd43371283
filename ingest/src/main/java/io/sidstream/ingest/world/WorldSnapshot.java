package io.sidstream.ingest.world;

import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.VideoUploaded;
import java.util.List;

/**
 * A finite piece of a world, generated in process: every upload and engagement in emission order, and the ground
 * truth as it stands at the end.
 */
public record WorldSnapshot(
        List<VideoUploaded> videos, List<Engagement> engagements, List<WorldEvent> events, GroundTruth groundTruth) {}
