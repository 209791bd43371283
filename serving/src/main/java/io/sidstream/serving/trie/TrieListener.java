package io.sidstream.serving.trie;

import io.sidstream.schemas.SidEntry;
import java.util.Collection;

/**
 * Told about every change to the valid SIDs of a codebook version, on the subscriber's thread, after the
 * {@link ServingTrie} has it: how a serving node keeps its decoding trie current.
 */
public interface TrieListener {

    /** The whole set of a version was replaced. */
    void replaced(String codebookVersion, Collection<SidEntry> entries);

    /** SIDs became valid and videos stopped being servable. */
    void changed(String codebookVersion, Collection<SidEntry> added, Collection<String> removedVideoIds);
}
