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
    void theBatchedPathGivesExactlyTheCodesOfTheSingleEmbeddingPath() {
        // 37 dimensions exercise the tail after the blocks of four; the 384 x 256 case is the production shape
        for (int[] shape : new int[][] {{37, 19, 3}, {384, 256, 3}, {5, 4, 2}}) {
            int dim = shape[0];
            int codes = shape[1];
            Random random = new Random(dim);
            float[][] centroids = new float[shape[2]][codes * dim];
            float[][] offsets = new float[shape[2]][codes];
            for (int l = 0; l < shape[2]; l++) {
                for (int i = 0; i < centroids[l].length; i++) {
                    centroids[l][i] = (float) random.nextGaussian() / (l + 1);
                }
                for (int k = 0; k < codes; k++) {
                    offsets[l][k] = (float) random.nextGaussian() * 0.01f;
                }
                // an exact duplicate of code 0: ties must go to the lower code on both paths
                System.arraycopy(centroids[l], 0, centroids[l], (codes - 1) * dim, dim);
                offsets[l][codes - 1] = offsets[l][0];
            }
            ResidualQuantizer quantizer = new ResidualQuantizer(dim, centroids, offsets);
            float[][] inputs = new float[101][dim];
            for (int i = 0; i < inputs.length; i++) {
                for (int d = 0; d < dim; d++) {
                    inputs[i][d] = (float) random.nextGaussian();
                }
            }
            System.arraycopy(centroids[0], 0, inputs[7], 0, dim);
            ResidualQuantizer.Scratch single = new ResidualQuantizer.Scratch(quantizer);
            for (int capacity : new int[] {1, 3, 16, 200}) {
                ResidualQuantizer.BatchScratch scratch = new ResidualQuantizer.BatchScratch(quantizer, capacity);
                int[][] batched = new int[inputs.length][shape[2]];
                quantizer.quantize(inputs, inputs.length, batched, scratch);
                for (int i = 0; i < inputs.length; i++) {
                    int[] expected = new int[shape[2]];
                    quantizer.quantize(inputs[i], expected, single);
                    assertThat(batched[i])
                            .as("shape %s, capacity %d, embedding %d", java.util.Arrays.toString(shape), capacity, i)
                            .containsExactly(expected);
                }
            }
            assertThat(quantizer.quantizeAll(inputs)[7]).containsExactly(quantizer.quantize(inputs[7]));
            assertThat(quantizer.quantize(inputs[7])[0]).isZero();
        }
    }

    @Test
    void theBatchedPathChecksItsInputs() {
        ResidualQuantizer quantizer = new ResidualQuantizer(2, new float[][] {{0, 0, 1, 1}});
        ResidualQuantizer.BatchScratch scratch = new ResidualQuantizer.BatchScratch(quantizer, 4);
        assertThatThrownBy(() -> quantizer.quantize(new float[][] {{1, 2}, {1, 2, 3}}, 2, new int[2][1], scratch))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("embedding 1 has 3 dimensions");
        assertThatThrownBy(() -> quantizer.quantize(new float[][] {{1, 2}}, 2, new int[2][1], scratch))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ResidualQuantizer.BatchScratch(quantizer, 0))
                .isInstanceOf(IllegalArgumentException.class);
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
        assertThatThrownBy(() -> quantizer.quantize(new float[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 dimensions");
        assertThatThrownBy(() -> new ResidualQuantizer(2, new float[][] {{0, Float.NaN, 1, 1}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-finite");
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
