package io.sidstream.model.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SidTrieTest {

    @Test
    void addsFindsMovesAndRemovesVideos() {
        SidTrie trie = new SidTrie(4);
        trie.add("a", List.of(1, 2, 3, 0));
        trie.add("b", List.of(1, 2, 3, 1));
        trie.add("c", List.of(1, 5, 3, 0));

        assertThat(trie.videoAt(new int[] {1, 2, 3, 1})).isEqualTo("b");
        assertThat(trie.root().codes()).containsExactly(1);
        assertThat(trie.root().child(1).codes()).containsExactly(2, 5);

        trie.add("b", List.of(7, 7, 7, 0)); // re-assigned
        assertThat(trie.videoAt(new int[] {1, 2, 3, 1})).isNull();
        assertThat(trie.root().codes()).containsExactly(1, 7);

        assertThat(trie.remove("c")).isTrue();
        assertThat(trie.root().child(1).codes()).containsExactly(2);
        assertThat(trie.remove("c")).isFalse();
        assertThat(trie.size()).isEqualTo(2);
    }

    @Test
    void rejectsASidHeldByAnotherVideoOrOfTheWrongLength() {
        SidTrie trie = new SidTrie(4);
        trie.add("a", List.of(1, 2, 3, 0));
        assertThatThrownBy(() -> trie.add("b", List.of(1, 2, 3, 0))).hasMessageContaining("already held by a");
        assertThatThrownBy(() -> trie.add("b", List.of(1, 2, 3))).hasMessageContaining("has 3 codes");
    }

    @Test
    void childrenAreSortedWithTheirNodesAndARemovedVideoIsGoneForAReaderAlreadyOnItsBranch() {
        SidTrie trie = new SidTrie(3);
        trie.add("x", List.of(9, 1, 0));
        trie.add("y", List.of(4, 1, 0));
        trie.add("z", List.of(4, 2, 0));

        SidTrie.Children top = trie.root().children();
        assertThat(top.codes()).containsExactly(4, 9);
        assertThat(top.nodes())
                .containsExactly(trie.root().child(4), trie.root().child(9));

        // a decoder that holds the branch of x from before the removal
        SidTrie.Node heldLeaf = trie.root().child(9).child(1).child(0);
        assertThat(trie.remove("x")).isTrue();
        assertThat(heldLeaf.videoId()).isNull();
        assertThat(trie.root().children().codes()).containsExactly(4);
        // the snapshot a reader already had is not changed under it
        assertThat(top.codes()).containsExactly(4, 9);

        // a snapshot re-sending a video's SID changes nothing: the children a reader holds stay current
        SidTrie.Children underFour = trie.root().child(4).children();
        trie.add("z", List.of(4, 2, 0));
        assertThat(trie.root().child(4).children()).isSameAs(underFour);

        assertThat(trie.remove("z")).isTrue();
        assertThat(trie.root().child(4).children().codes()).containsExactly(1);
        assertThat(trie.root().child(4).children().nodes())
                .containsExactly(trie.root().child(4).child(1));
    }
}
