package io.sidstream.model.decode;

import ai.djl.nn.Parameter;
import io.sidstream.model.block.SidRecModel;

/**
 * A model's parameters copied to the JVM, for decoding small requests without the engine: its transformer up to the
 * last position's state ({@link LastStateEncoder}) and its code head ({@link CodeHead}). Taken once from a model that
 * no longer trains; it never sees later changes.
 */
public record ModelSnapshot(LastStateEncoder encoder, CodeHead head) {

    public static ModelSnapshot of(SidRecModel model) {
        return new ModelSnapshot(LastStateEncoder.snapshot(model), CodeHead.snapshot(model));
    }

    /** A copy of the model's parameter {@code name} (as {@link io.sidstream.model.block.SidRecBlock} names it), flat. */
    static float[] parameter(SidRecModel model, String name) {
        Parameter parameter = model.block().getParameters().get(name);
        if (parameter == null) {
            throw new IllegalStateException("the model has no parameter " + name + " for plain-Java decoding");
        }
        return parameter.getArray().toFloatArray();
    }
}
