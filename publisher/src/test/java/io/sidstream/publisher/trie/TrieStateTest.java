package io.sidstream.publisher.trie;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.SidEntry;
import io.sidstream.schemas.TrieUpdate;
import io.sidstream.schemas.TrieUpdateKind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrieStateTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void aVersionStartsWithAChunkedSnapshotAndContinuesWithGapFreeDeltas() {
        TrieState state = new TrieState(2);
        state.assign(assigned("a", "cb1"));
        state.assign(assigned("b", "cb1"));
        state.assign(assigned("c", "cb1"));

        assertThat(state.deltas(NOW))
                .as("no delta before the version's snapshot")
                .isEmpty();
        List<TrieUpdate> snapshot = state.snapshots(2, NOW, true);
        assertThat(snapshot)
                .extracting(
                        TrieUpdate::getKind,
                        TrieUpdate::getSequence,
                        TrieUpdate::getChunkIndex,
                        TrieUpdate::getChunkCount)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(TrieUpdateKind.SNAPSHOT, 1L, 0, 2),
                        org.assertj.core.groups.Tuple.tuple(TrieUpdateKind.SNAPSHOT, 1L, 1, 2));
        assertThat(snapshot.stream().flatMap(u -> u.getAdded().stream()).map(SidEntry::getVideoId))
                .containsExactly("a", "b", "c");

        state.assign(assigned("d", "cb1"));
        state.remove("a");
        assertThat(state.deltas(NOW)).singleElement().satisfies(delta -> {
            assertThat(delta.getSequence()).isEqualTo(2);
            assertThat(delta.getAdded()).extracting(SidEntry::getVideoId).containsExactly("d");
            assertThat(delta.getRemovedVideoIds()).containsExactly("a");
        });
        assertThat(state.deltas(NOW)).as("nothing pending, nothing sent").isEmpty();
    }

    @Test
    void aRemovedVideoNeverComesBackAndOnlyTheNewestVersionsAreKept() {
        TrieState state = new TrieState(2);
        state.remove("gone");
        state.assign(assigned("gone", "cb1"));
        state.assign(assigned("x", "cb1"));
        state.assign(assigned("x", "cb2"));
        state.assign(assigned("x", "cb3"));

        assertThat(state.versions()).containsExactly("cb2", "cb3");
        assertThat(state.size("cb1")).isZero();
        state.resumeSequence("cb3", 41);
        assertThat(state.snapshots(10, NOW, false))
                .extracting(TrieUpdate::getCodebookVersion, TrieUpdate::getSequence)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("cb2", 1L),
                        org.assertj.core.groups.Tuple.tuple("cb3", 42L));
    }

    private static SidAssigned assigned(String video, String codebook) {
        return new SidAssigned(video, List.of(1, 2, 3, 0), codebook, "test", NOW, NOW);
    }
}
