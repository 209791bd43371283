package io.sidstream.tokenizer.sid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CollisionTokensTest {

    @Test
    void countsUpPerPrefixInArrivalOrder() {
        int[] tokens = CollisionTokens.assignAll(
                List.of(new int[] {1, 2}, new int[] {1, 3}, new int[] {1, 2}, new int[] {1, 2}));

        assertThat(tokens).containsExactly(0, 0, 1, 2);
    }

    @Test
    void reportsGroupsAndAssignsFullSids() {
        CollisionTokens tokens = new CollisionTokens();
        tokens.assign(new int[] {4, 4});
        assertThat(tokens.assign(new int[] {4, 4}).codes()).containsExactly(4, 4, 1);
        tokens.assign(new int[] {5, 4});

        assertThat(tokens.distinctPrefixes()).isEqualTo(2);
        assertThat(tokens.largestGroup()).isEqualTo(2);
    }
}
