package io.sidstream.schemas;

import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** Every top-level record that a topic carries: the unit of registration and of compatibility checks. */
public final class Contracts {

    public static final List<Class<? extends SpecificRecord>> VALUE_TYPES = List.of(
            VideoUploaded.class,
            VideoRemoved.class,
            Engagement.class,
            SidAssigned.class,
            CodebookPublished.class,
            TrainingExample.class,
            CheckpointPublished.class,
            TrieUpdate.class,
            TrainerCommand.class,
            DeadLetter.class);

    private Contracts() {}
}
