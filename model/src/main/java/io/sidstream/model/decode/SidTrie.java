package io.sidstream.model.decode;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SIDs of live videos as a prefix tree of codes, leaves holding video ids: what constrained decoding may emit.
 * Videos are added when they get a SID and removed when they go away; safe for one writer and many readers.
 */
public final class SidTrie {

    private final int sidLength;
    private final Node root = new Node();
    private final Map<String, int[]> sidOfVideo = new ConcurrentHashMap<>();

    public SidTrie(int sidLength) {
        if (sidLength <= 0) {
            throw new IllegalArgumentException("SID length must be > 0, got " + sidLength);
        }
        this.sidLength = sidLength;
    }

    public int sidLength() {
        return sidLength;
    }

    /** Adds or moves a video to {@code codes}; a SID already held by another video is an error. */
    public synchronized void add(String videoId, List<Integer> codes) {
        int[] sid = codes.stream().mapToInt(Integer::intValue).toArray();
        if (sid.length != sidLength) {
            throw new IllegalArgumentException(
                    "SID " + codes + " of " + videoId + " has " + sid.length + " codes, the trie holds " + sidLength);
        }
        if (Arrays.equals(sidOfVideo.get(videoId), sid)) {
            return; // already there: a periodic snapshot re-sends every SID, and re-adding each would churn the trie
        }
        String holder = videoAt(sid);
        if (holder != null && !holder.equals(videoId)) {
            throw new IllegalArgumentException("SID " + codes + " of " + videoId + " is already held by " + holder);
        }
        remove(videoId);
        Node node = root;
        for (int code : sid) {
            Node child = node.children.get(code);
            if (child == null) {
                child = new Node();
                node.children.put(code, child);
                node.refreshChildren();
            }
            node = child;
            node.leaves++;
        }
        node.videoId = videoId;
        sidOfVideo.put(videoId, sid);
    }

    /** Removes a video; returns whether it was there. */
    public synchronized boolean remove(String videoId) {
        int[] sid = sidOfVideo.remove(videoId);
        if (sid == null) {
            return false;
        }
        Node[] path = new Node[sid.length + 1];
        path[0] = root;
        for (int level = 0; level < sid.length; level++) {
            path[level + 1] = path[level].children.get(sid[level]);
        }
        // first, so a decoder already walking the detached branch finds no video at its end
        path[sid.length].videoId = null;
        for (int level = 0; level < sid.length; level++) {
            if (--path[level + 1].leaves == 0) {
                path[level].children.remove(sid[level]);
                path[level].refreshChildren();
                return true;
            }
        }
        return true;
    }

    public int size() {
        return sidOfVideo.size();
    }

    public boolean contains(String videoId) {
        return sidOfVideo.containsKey(videoId);
    }

    public int[] sidOf(String videoId) {
        int[] sid = sidOfVideo.get(videoId);
        return sid == null ? null : sid.clone();
    }

    /** The video holding this full SID, or null. */
    public String videoAt(int[] sid) {
        if (sid.length != sidLength) {
            return null;
        }
        Node node = root;
        for (int code : sid) {
            node = node.children.get(code);
            if (node == null) {
                return null;
            }
        }
        return node.videoId;
    }

    /** The root, for walking the trie while decoding. */
    public Node root() {
        return root;
    }

    /** A trie node: children by code; at depth {@code sidLength}, the video id. */
    public static final class Node {
        private static final Children NONE = new Children(new int[0], new Node[0]);

        private final Map<Integer, Node> children = new ConcurrentHashMap<>();
        /**
         * The children as sorted arrays: rebuilt by the writer whenever a child comes or goes, because decoding walks
         * them at every beam of every step (building the codes per call, then looking each child up, was a third of
         * a request's CPU time).
         */
        private volatile Children sorted = NONE;

        private volatile String videoId;
        private volatile int leaves;

        public Node child(int code) {
            return children.get(code);
        }

        /** The codes that continue a valid SID from here, sorted; shared, do not modify. */
        public int[] codes() {
            return sorted.codes();
        }

        /** The codes that continue a valid SID from here and their nodes, one consistent view; shared, do not modify. */
        public Children children() {
            return sorted;
        }

        private void refreshChildren() {
            int[] codes = children.keySet().stream().mapToInt(Integer::intValue).toArray();
            Arrays.sort(codes);
            Node[] nodes = new Node[codes.length];
            for (int i = 0; i < codes.length; i++) {
                nodes[i] = children.get(codes[i]);
            }
            sorted = new Children(codes, nodes);
        }

        public String videoId() {
            return videoId;
        }

        /** Videos below this node (read without the writer's lock: a decoder's hint, exact once the writer is done). */
        public int leaves() {
            return leaves;
        }
    }

    /** A node's children: {@code nodes[i]} continues the SID with {@code codes[i]}; codes ascending. */
    public record Children(int[] codes, Node[] nodes) {}
}
