package io.sidstream.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCheckpointStoreTest {

    @Test
    void writesVersionsWithManifestsAndReadsThemBack(@TempDir Path dir) throws IOException {
        LocalCheckpointStore store = new LocalCheckpointStore(dir, 3);
        assertThat(store.latest()).isEmpty();
        String version = store.nextVersion();
        CheckpointMeta meta = new CheckpointMeta(
                version, "cb-7", 1L, 2L, Map.of(0, 10L, 1, 12L), Map.of("recall_at_10", 0.25), true, null);
        store.write(meta, Map.of("parameters.bin", out -> out.write(new byte[] {1, 2, 3})));

        CheckpointStore.StoredCheckpoint read = store.latest().orElseThrow();
        assertThat(read.meta()).isEqualTo(meta);
        assertThat(read.manifest()).containsKeys("parameters.bin", CheckpointLayout.META);
        assertThat(read.manifest().get("parameters.bin"))
                .isEqualTo("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81"); // sha256 of 01 02 03
        try (InputStream in = read.open("parameters.bin")) {
            assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
        }

        Files.write(dir.resolve(version).resolve("parameters.bin"), new byte[] {9});
        assertThatThrownBy(() -> read.open("parameters.bin")).hasMessageContaining("manifest says");
    }

    @Test
    void keepsTheNewestVersionsAndTheNewestPublishedOne(@TempDir Path dir) {
        LocalCheckpointStore store = new LocalCheckpointStore(dir, 2);
        for (int i = 1; i <= 5; i++) {
            String version = store.nextVersion();
            store.write(
                    new CheckpointMeta(version, "cb", i, i, Map.of(0, (long) i), Map.of(), i == 2, null),
                    Map.of("x", out -> out.write("data".getBytes(StandardCharsets.UTF_8))));
        }
        assertThat(store.versions()).containsExactly("v000002", "v000004", "v000005");
        assertThat(store.latestPublished().orElseThrow().meta().version()).isEqualTo("v000002");
        assertThat(store.latest().orElseThrow().meta().offsets()).containsEntry(0, 5L);
    }

    @Test
    void aHalfWrittenVersionIsNeverVisibleAndIsSweptOnOpen(@TempDir Path dir) throws IOException {
        LocalCheckpointStore store = new LocalCheckpointStore(dir, 2);
        String version = store.nextVersion();
        assertThatThrownBy(() -> store.write(
                        new CheckpointMeta(version, "cb", 1, 1, Map.of(), Map.of(), true, null),
                        Map.of("parameters.bin", out -> {
                            out.write(1);
                            throw new IOException("disk full");
                        })))
                .hasMessageContaining("cannot write checkpoint");
        assertThat(store.versions()).isEmpty();
        Files.createDirectories(dir.resolve(".tmp-v000001-crashed"));
        new LocalCheckpointStore(dir, 2);
        try (var entries = Files.list(dir)) {
            assertThat(entries).isEmpty();
        }
    }
}
