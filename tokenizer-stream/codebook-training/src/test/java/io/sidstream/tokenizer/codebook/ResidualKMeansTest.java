package io.sidstream.tokenizer.codebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sidstream.tokenizer.catalog.SyntheticCatalog;
import io.sidstream.tokenizer.sid.ResidualQuantizer;
import org.junit.jupiter.api.Test;

class ResidualKMeansTest {

    private final float[][] catalog = new SyntheticCatalog(32, 6, 4, 0.6, 0.35, 5).embeddings(3_000);

    @Test
    void trainingIsDeterministicForASeed() {
        KMeansOptions options = new KMeansOptions(2, 16, 4, 99, true, 1.2);
        ResidualQuantizer a = new ResidualKMeans(options).train(catalog);
        ResidualQuantizer b = new ResidualKMeans(options).train(catalog);

        assertThat(a.centroids(1)).containsExactly(b.centroids(1));
        assertThat(a.offsets(1)).containsExactly(b.offsets(1));
    }

    @Test
    void eachLevelReducesTheReconstructionError() {
        double one = mse(new ResidualKMeans(new KMeansOptions(1, 16, 5, 1, false, 1.0)).train(catalog));
        double three = mse(new ResidualKMeans(new KMeansOptions(3, 16, 5, 1, false, 1.0)).train(catalog));

        assertThat(three).isLessThan(one * 0.9);
    }

    @Test
    void balancingSpreadsItemsOverCodes() {
        int[] plain = loads(new ResidualKMeans(new KMeansOptions(1, 32, 8, 3, false, 1.0)).train(catalog));
        int[] balanced = loads(new ResidualKMeans(new KMeansOptions(1, 32, 8, 3, true, 1.2)).train(catalog));

        assertThat(max(balanced)).isLessThanOrEqualTo(max(plain));
        assertThat(max(balanced)).isLessThanOrEqualTo((int) Math.ceil(1.3 * catalog.length / 32));
        assertThat(java.util.Arrays.stream(balanced).min().getAsInt()).isPositive();
    }

    @Test
    void needsAtLeastAsManyItemsAsCodes() {
        assertThatThrownBy(() -> new ResidualKMeans(new KMeansOptions(1, 16, 1, 1, false, 1.0)).train(new float[8][4]))
                .hasMessageContaining("at least 16");
    }

    private double mse(ResidualQuantizer q) {
        double sum = 0;
        int[] prefix = new int[q.levels()];
        ResidualQuantizer.Scratch scratch = new ResidualQuantizer.Scratch(q);
        for (float[] x : catalog) {
            sum += q.quantize(x, prefix, scratch);
        }
        return sum / catalog.length;
    }

    private int[] loads(ResidualQuantizer q) {
        int[] loads = new int[q.codesPerLevel()];
        for (float[] x : catalog) {
            loads[q.quantize(x)[0]]++;
        }
        return loads;
    }

    private static int max(int[] values) {
        int m = 0;
        for (int v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
