package io.sidstream.tokenizer.embed;

import io.sidstream.schemas.VideoUploaded;
import java.util.List;

/** The text of an upload the encoder reads: title, then description, then tags. */
public final class VideoText {

    private VideoText() {}

    public static String of(VideoUploaded upload) {
        return of(upload.getTitle(), upload.getDescription(), upload.getTags());
    }

    /** The same text from its parts (a dataset's item before it is an upload); description and tags may be null. */
    public static String of(String title, String description, List<String> tags) {
        StringBuilder b = new StringBuilder(title == null ? "" : title.strip());
        String text = description == null ? "" : description.strip();
        if (!text.isEmpty()) {
            b.append(b.length() == 0 ? "" : ". ").append(text);
        }
        if (tags != null && !tags.isEmpty()) {
            b.append(b.length() == 0 ? "" : ". ").append(String.join(", ", tags));
        }
        return b.toString();
    }
}
