package io.sidstream.platform.embedded;

import io.sidstream.platform.status.StatusSources;
import io.sidstream.serving.trie.ServingTrie;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the embedded platform's parts tell the status page. */
final class EmbeddedStatusSources implements StatusSources {

    private final ServingTrie trie;

    EmbeddedStatusSources(ServingTrie trie) {
        this.trie = trie;
    }

    @Override
    public Map<String, Object> serving() {
        Map<String, Object> serving = new LinkedHashMap<>();
        trie.versions().stream().sorted().forEach(version -> serving.put("trie " + version, trie.size(version)));
        if (!trie.versions().isEmpty()) {
            serving.put("trie age (s)", Math.max(0, (System.currentTimeMillis() - trie.lastUpdateTime().toEpochMilli()) / 1000.0));
        }
        return serving;
    }
}
