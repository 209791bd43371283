package io.sidstream.tokenizer.codebook;

import java.util.List;

/**
 * A small dense network applied in plain Java: layers of {@code out = W x + b}, ReLU between layers (none after the
 * last). The RQ-VAE's encoder and decoder travel in the codebook artifact as one of these, so the job needs no DJL
 * engine to apply them; at 384 -> 256 -> 64 one pass is about 115k multiply-adds.
 *
 * @param layers the layers in order; each one's input size is the previous one's output size
 */
public record Mlp(List<Layer> layers) {

    /**
     * One dense layer.
     *
     * @param inputs  input size
     * @param outputs output size
     * @param weights outputs x inputs, row-major (row j: the weights of output j)
     * @param bias    outputs
     */
    public record Layer(int inputs, int outputs, float[] weights, float[] bias) {
        public Layer {
            if (inputs < 1 || outputs < 1 || weights.length != inputs * outputs || bias.length != outputs) {
                throw new IllegalArgumentException("a dense layer " + inputs + " -> " + outputs + " needs "
                        + inputs * outputs + " weights and " + outputs + " biases, got " + weights.length + " and "
                        + bias.length);
            }
        }
    }

    public Mlp {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("an MLP has at least one layer");
        }
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i).inputs() != layers.get(i - 1).outputs()) {
                throw new IllegalArgumentException(
                        "layer " + i + " takes " + layers.get(i).inputs() + " inputs but layer " + (i - 1) + " gives "
                                + layers.get(i - 1).outputs());
            }
        }
        layers = List.copyOf(layers);
    }

    public int inputs() {
        return layers.get(0).inputs();
    }

    public int outputs() {
        return layers.get(layers.size() - 1).outputs();
    }

    /** The widest layer output: the size of the scratch buffers {@link #apply(float[], float[], float[][])} needs. */
    public int widest() {
        int max = 0;
        for (Layer layer : layers) {
            max = Math.max(max, layer.outputs());
        }
        return max;
    }

    public float[] apply(float[] input) {
        float[] out = new float[outputs()];
        apply(input, out, new float[][] {new float[widest()], new float[widest()]});
        return out;
    }

    /**
     * Runs the network on {@code input} into {@code output}; {@code scratch} is two buffers of at least
     * {@link #widest()} floats, so the job's per-video path allocates nothing.
     */
    public void apply(float[] input, float[] output, float[][] scratch) {
        if (input.length != inputs()) {
            throw new IllegalArgumentException("input has " + input.length + " values, the network takes " + inputs());
        }
        float[] in = input;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            boolean last = i == layers.size() - 1;
            float[] out = last ? output : scratch[i % 2];
            float[] w = layer.weights();
            int n = layer.inputs();
            for (int j = 0; j < layer.outputs(); j++) {
                int row = j * n;
                float s0 = 0;
                float s1 = 0;
                float s2 = 0;
                float s3 = 0;
                int x = 0;
                // four partial sums: the JIT cannot reorder one float sum, four independent chains pipeline
                for (; x + 3 < n; x += 4) {
                    s0 += w[row + x] * in[x];
                    s1 += w[row + x + 1] * in[x + 1];
                    s2 += w[row + x + 2] * in[x + 2];
                    s3 += w[row + x + 3] * in[x + 3];
                }
                for (; x < n; x++) {
                    s0 += w[row + x] * in[x];
                }
                float v = (s0 + s1) + (s2 + s3) + layer.bias()[j];
                out[j] = last || v > 0 ? v : 0;
            }
            in = out;
        }
    }
}
