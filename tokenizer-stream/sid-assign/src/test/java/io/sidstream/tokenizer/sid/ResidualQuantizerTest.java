package io.sidstream.tokenizer.sid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ResidualQuantizerTest {

    @Test
    void picksTheNearestCodePerLevelIncludingOffsetsLikeABruteForceSearch() {
        Random random = new Random(1);
        int dim = 37;
        int codes = 19;
        int levels = 3;
        float[][] centroids = new float[levels][codes * dim];
        float[][] offsets = new float[levels][codes];
        for (int l = 0; l < levels; l++) {
            for (int i = 0; i < centroids[l].length; i++) {
                centroids[l][i] = (float) random.nextGaussian() / (l + 1);
            }
            for (int k = 0; k < codes; k++) {
                offsets[l][k] = (float) random.nextGaussian() * 0.1f;
            }
        }
        ResidualQuantizer quantizer = new ResidualQuantizer(dim, centroids, offsets);

        for (int trial = 0; trial < 200; trial++) {
            float[] x = new float[dim];
            for (int d = 0; d < dim; d++) {
                x[d] = (float) random.nextGaussian();
            }
            int[] expected = bruteForce(x, centroids, offsets, dim, codes);
            assertThat(quantizer.quantize(x)).containsExactly(expected);
        }
    }

    @Test
    void reconstructionIsTheSumOfTheChosenCentroidsAndTheErrorIsWhatIsLeft() {
        float[][] centroids = {{0, 0, 1, 1}, {0.5f, 0, 0, 0.5f}};
        ResidualQuantizer quantizer = new ResidualQuantizer(2, centroids);
        float[] x = {1.4f, 1.1f};
        int[] prefix = new int[2];
        float error = quantizer.quantize(x, prefix, new ResidualQuantizer.Scratch(quantizer));

        assertThat(prefix).containsExactly(1, 0);
        assertThat(quantizer.reconstruct(prefix)).containsExactly(1.5f, 1f);
        assertThat(error).isCloseTo(0.01f + 0.01f, org.assertj.core.api.Assertions.within(1e-5f));
    }

    @Test
    void rejectsEmbeddingsOfAnotherDimensionAndBrokenCentroids() {
        ResidualQuantizer quantizer = new ResidualQuantizer(2, new float[][] {{0, 0, 1, 1}});
        assertThatThrownBy(() -> quantizer.quantize(new float[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 dimensions");
        assertThatThrownBy(() -> new ResidualQuantizer(2, new float[][] {{0, Float.NaN, 1, 1}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite");
        assertThatThrownBy(() -> new ResidualQuantizer(2, new float[][] {{0, 0, 1, 1}, {0, 0}}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static int[] bruteForce(float[] x, float[][] centroids, float[][] offsets, int dim, int codes) {
        float[] r = x.clone();
        int[] out = new int[centroids.length];
        for (int l = 0; l < centroids.length; l++) {
            double best = Double.MAX_VALUE;
            for (int k = 0; k < codes; k++) {
                double dist = offsets[l][k];
                for (int d = 0; d < dim; d++) {
                    double diff = r[d] - centroids[l][k * dim + d];
                    dist += diff * diff;
                }
                if (dist < best) {
                    best = dist;
                    out[l] = k;
                }
            }
            for (int d = 0; d < dim; d++) {
                r[d] -= centroids[l][out[l] * dim + d];
            }
        }
        return out;
    }
}
