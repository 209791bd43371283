package io.sidstream.tokenizer.cli;

import io.sidstream.core.config.SidstreamConfig;

/**
 * Where {@code codebook train --world N} gets its catalog. The synthetic world is {@code ingest}'s, a stage this module
 * must not link (module graph, issue 20), so the launcher that links both hands it in.
 */
public interface WorldCatalogSource {

    /** The embedding space the world's content embeddings live in: the model a codebook over them names. */
    String embeddingModel(SidstreamConfig config);

    /** The content embeddings of the world's first {@code n} videos that carry one. */
    float[][] embeddings(SidstreamConfig config, int n);
}
