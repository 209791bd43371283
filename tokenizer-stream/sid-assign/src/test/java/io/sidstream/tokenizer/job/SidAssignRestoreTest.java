package io.sidstream.tokenizer.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sidstream.core.sid.Sid;
import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.VideoUploaded;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Killing the job and restoring it from its last checkpoint neither duplicates nor changes a SID. */
class SidAssignRestoreTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path checkpoints;

    @Test
    void restoreFromTheLastCheckpointKeepsEverySidAndDuplicatesNone() throws Exception {
        try (SidJobFixture fixture = new SidJobFixture(checkpoints)) {
            fixture.publish(fixture.codebook("cb-r1", 5, Instant.now()));
            List<VideoUploaded> before = new ArrayList<>();
            IntStream.range(0, 25).forEach(i -> before.add(fixture.withEmbedding("a-" + i)));
            IntStream.range(0, 5).forEach(i -> before.add(fixture.withText("t-" + i)));

            JobClient job = fixture.start(Optional.empty());
            fixture.send(before);
            List<SidAssigned> first = SidAssignJobTest.values(
                    fixture.kafka.readAll(Topic.SID_ASSIGNMENTS.topicName(), SidAssigned.class, 30, WAIT));
            assertThat(first).hasSize(30);
            // the uploads below land after the checkpoint the restore will use, or are processed twice across the kill
            List<VideoUploaded> during = new ArrayList<>();
            IntStream.range(0, 10).forEach(i -> during.add(fixture.withEmbedding("b-" + i)));
            fixture.send(during);
            // cancelled once a checkpoint completed after the sends: whether it covers all of them is the race the
            // restore must survive
            String checkpointBefore = SidJobFixture.latestCheckpoint(checkpoints);
            await().atMost(WAIT)
                    .until(() -> !SidJobFixture.latestCheckpoint(checkpoints).equals(checkpointBefore));
            job.cancel().get();
            String checkpoint = SidJobFixture.latestCheckpoint(checkpoints);

            List<VideoUploaded> after = new ArrayList<>();
            IntStream.range(0, 10).forEach(i -> after.add(fixture.withEmbedding("c-" + i)));
            after.addAll(before.subList(0, 5)); // re-delivered uploads keep their SIDs
            fixture.send(after);
            JobClient restored = fixture.start(Optional.of(checkpoint));
            try {
                List<SidAssigned> all = SidAssignJobTest.values(
                        fixture.kafka.readAll(Topic.SID_ASSIGNMENTS.topicName(), SidAssigned.class, 50, WAIT));
                // the re-delivered uploads must add nothing: once the job has read and checkpointed past them,
                // whatever it wrote is visible
                fixture.awaitJobCaughtUp();
                all = SidAssignJobTest.values(fixture.kafka.readAll(
                        Topic.SID_ASSIGNMENTS.topicName(), SidAssigned.class, 51, Duration.ofSeconds(2)));

                assertThat(all).hasSize(50);
                assertThat(all).extracting(SidAssigned::getVideoId).doesNotHaveDuplicates();
                assertThat(all.stream().map(s -> Sid.fromCodes(s.getCodes())).collect(Collectors.toSet()))
                        .hasSize(50);
                Map<String, SidAssigned> byVideo =
                        all.stream().collect(Collectors.toMap(SidAssigned::getVideoId, Function.identity()));
                for (SidAssigned s : first) {
                    assertThat(byVideo.get(s.getVideoId()).getCodes()).isEqualTo(s.getCodes());
                }
            } finally {
                restored.cancel().get();
            }
        }
    }
}
