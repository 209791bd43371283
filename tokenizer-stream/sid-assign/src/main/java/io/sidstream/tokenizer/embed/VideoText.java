package io.sidstream.tokenizer.embed;

import io.sidstream.schemas.VideoUploaded;

/** The text of an upload the encoder reads: title, then description, then tags. */
public final class VideoText {

    private VideoText() {
    }

    public static String of(VideoUploaded upload) {
        StringBuilder b = new StringBuilder(upload.getTitle().strip());
        String description = upload.getDescription() == null ? "" : upload.getDescription().strip();
        if (!description.isEmpty()) {
            b.append(". ").append(description);
        }
        if (upload.getTags() != null && !upload.getTags().isEmpty()) {
            b.append(". ").append(String.join(", ", upload.getTags()));
        }
        return b.toString();
    }
}
