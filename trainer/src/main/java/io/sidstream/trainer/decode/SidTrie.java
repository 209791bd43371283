package io.sidstream.trainer.decode;

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
            throw new IllegalArgumentException("SID " + codes + " of " + videoId + " has " + sid.length
                    + " codes, the trie holds " + sidLength);
        }
        String holder = videoAt(sid);
        if (holder != null && !holder.equals(videoId)) {
            throw new IllegalArgumentException("SID " + codes + " of " + videoId + " is already held by " + holder);
        }
        remove(videoId);
        Node node = root;
        for (int code : sid) {
            node = node.children.computeIfAbsent(code, c -> new Node());
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
        Node node = root;
        for (int code : sid) {
            Node child = node.children.get(code);
            if (--child.leaves == 0) {
                node.children.remove(code);
                return true;
            }
            node = child;
        }
        node.videoId = null;
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
        private final Map<Integer, Node> children = new ConcurrentHashMap<>();
        private volatile String videoId;
        private int leaves;

        public Node child(int code) {
            return children.get(code);
        }

        /** The codes that continue a valid SID from here, sorted. */
        public int[] codes() {
            int[] codes = children.keySet().stream().mapToInt(Integer::intValue).toArray();
            Arrays.sort(codes);
            return codes;
        }

        public String videoId() {
            return videoId;
        }
    }
}
