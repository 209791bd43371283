package io.sidstream.model.block;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.model.config.TokenLayout;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model instance: the block with its parameters on one device, the config it was built from and the codebook version
 * whose SIDs it speaks. Owns the DJL {@link Model} (and so every parameter array); close it when done.
 */
public final class SidRecModel implements AutoCloseable {

    private final Model model;
    private final SidRecBlock block;
    private final String codebookVersion;
    private final Device device;

    private SidRecModel(Model model, SidRecBlock block, String codebookVersion, Device device) {
        this.model = model;
        this.block = block;
        this.codebookVersion = codebookVersion;
        this.device = device;
    }

    /** A freshly initialised model; parameter initialisation follows the engine's random seed. */
    public static SidRecModel create(ModelConfig config, String codebookVersion, Device device) {
        Model model = Model.newInstance("sidrec", device);
        SidRecBlock block = new SidRecBlock(config);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, block.trainingInputShapes(1));
        return new SidRecModel(model, block, codebookVersion, device);
    }

    /** Loads parameters written by {@link #saveParameters} into a model of the same config. */
    public static SidRecModel load(ModelConfig config, String codebookVersion, Device device, Path parameters) {
        SidRecModel created = create(config, codebookVersion, device);
        java.util.Map<String, ai.djl.ndarray.types.Shape> expected = new java.util.LinkedHashMap<>();
        created.block
                .getParameters()
                .forEach(p -> expected.put(p.getKey(), p.getValue().getShape()));
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(parameters)))) {
            created.block.loadParameters(created.model.getNDManager(), in);
            // loaded arrays come back without autograd; a warm start trains them further
            created.block.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(p.requiresGradient()));
            created.block.getParameters().forEach(p -> {
                if (!p.getValue().getArray().getShape().equals(expected.get(p.getKey()))) {
                    throw new IllegalArgumentException("parameters " + parameters + " do not fit model " + config + ": "
                            + p.getKey() + " has shape "
                            + p.getValue().getArray().getShape() + ", expected "
                            + expected.get(p.getKey()));
                }
            });
        } catch (IOException e) {
            created.close();
            throw new UncheckedIOException("cannot read parameters " + parameters, e);
        } catch (IllegalArgumentException e) {
            created.close();
            throw e;
        } catch (MalformedModelException e) {
            created.close();
            throw new IllegalArgumentException("parameters " + parameters + " do not fit model " + config, e);
        }
        return created;
    }

    public void saveParameters(Path file) {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write parameters " + file, e);
        }
    }

    public Model djlModel() {
        return model;
    }

    public SidRecBlock block() {
        return block;
    }

    public ModelConfig config() {
        return block.config();
    }

    public TokenLayout layout() {
        return block.layout();
    }

    public String codebookVersion() {
        return codebookVersion;
    }

    public Device device() {
        return device;
    }

    public NDManager manager() {
        return model.getNDManager();
    }

    /** A parameter store for inference: reads parameters in place, no gradients. */
    public ParameterStore inferenceStore() {
        return new ParameterStore(model.getNDManager(), false);
    }

    public long parameterCount() {
        return block.getParameters().values().stream()
                .mapToLong(p -> p.getArray().size())
                .sum();
    }

    @Override
    public void close() {
        model.close();
    }
}
