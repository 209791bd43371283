package io.sidstream.tokenizer.embed;

import java.util.List;

/** Turns texts into unit-length content embeddings of one embedding space, a batch at a time. */
public interface TextEmbedder extends AutoCloseable {

    /** The embedding space's name; SIDs and codebooks carry it. */
    String modelName();

    int dimension();

    /** One embedding per text, in order; each has {@link #dimension()} values and L2 norm 1. */
    List<float[]> embed(List<String> texts);

    @Override
    void close();
}
