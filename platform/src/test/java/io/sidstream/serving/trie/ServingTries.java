package io.sidstream.serving.trie;

import io.sidstream.schemas.SidEntry;
import java.time.Instant;
import java.util.Collection;

/** Writes to a {@link ServingTrie} as the trie subscriber does, for tests outside its package. */
public final class ServingTries {

    private ServingTries() {}

    public static void replace(ServingTrie trie, String codebookVersion, long sequence, Collection<SidEntry> entries) {
        trie.replace(codebookVersion, sequence, entries, Instant.now());
    }

    public static void apply(
            ServingTrie trie,
            String codebookVersion,
            long sequence,
            Collection<SidEntry> added,
            Collection<String> removed) {
        trie.apply(codebookVersion, sequence, added, removed, Instant.now());
    }
}
