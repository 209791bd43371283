package io.sidstream.ingest.replay;

import java.util.List;

/**
 * An item of a dataset before it becomes a {@code VideoUploaded}.
 *
 * @param uploadTime epoch milliseconds, or null to place it just before its first interaction
 * @param embedding  content embedding, or null
 * @param durationMs length, or null for the configured default
 * @param source     {@code file:line}, for error messages
 */
public record Item(
        String id,
        String creatorId,
        String title,
        String description,
        List<String> tags,
        Long uploadTime,
        List<Float> embedding,
        String embeddingModel,
        Long durationMs,
        String source) {

    public Item {
        tags = List.copyOf(tags);
        embedding = embedding == null ? null : List.copyOf(embedding);
    }

    boolean hasText() {
        return title != null && !title.isBlank() || description != null && !description.isBlank();
    }
}
