package io.sidstream.ingest.world;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.VideoUploaded;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes world events in the generic replay format, so the same world can be replayed: {@code items.jsonl}
 * (one upload per line) and {@code interactions.csv} (one engagement per line, with its event id, type, watch
 * fraction, surface, device and country), in emission order.
 */
public final class GenericFormatWriter implements AutoCloseable {

    public static final String ITEMS = "items.jsonl";
    public static final String INTERACTIONS = "interactions.csv";

    private final ObjectMapper json = new ObjectMapper();
    private final BufferedWriter items;
    private final BufferedWriter interactions;

    public GenericFormatWriter(Path directory) {
        try {
            Files.createDirectories(directory);
            items = Files.newBufferedWriter(directory.resolve(ITEMS), StandardCharsets.UTF_8);
            interactions = Files.newBufferedWriter(directory.resolve(INTERACTIONS), StandardCharsets.UTF_8);
            interactions.write("user,item,timestamp,event_type,watch_fraction,event_id,surface,device,country\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the replay files in " + directory, e);
        }
    }

    public void write(WorldEvent event) {
        try {
            if (event.isUpload()) {
                items.write(itemLine(event.upload()));
            } else {
                interactions.write(interactionLine(event.engagement()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write replay files", e);
        }
    }

    private String itemLine(VideoUploaded v) throws IOException {
        ObjectNode node = json.createObjectNode();
        node.put("id", v.getVideoId());
        node.put("creator", v.getCreatorId());
        node.put("title", v.getTitle());
        node.put("description", v.getDescription());
        ArrayNode tags = node.putArray("tags");
        v.getTags().forEach(tags::add);
        node.put("upload_time", v.getUploadTime().toEpochMilli());
        node.put("duration_ms", v.getDurationMs());
        if (v.getContentEmbedding() != null) {
            ArrayNode emb = node.putArray("embedding");
            v.getContentEmbedding().forEach(emb::add);
            node.put("embedding_model", v.getEmbeddingModel());
        }
        return json.writeValueAsString(node) + "\n";
    }

    private static String interactionLine(Engagement e) {
        double fraction =
                e.getVideoDurationMs() > 0 ? Math.min(1.0, (double) e.getWatchTimeMs() / e.getVideoDurationMs()) : 0;
        return String.format(
                Locale.ROOT,
                "%s,%s,%d,%s,%.6f,%s,%s,%s,%s%n",
                e.getUserId(),
                e.getVideoId(),
                e.getEventTime().toEpochMilli(),
                e.getEventType(),
                fraction,
                e.getEventId(),
                e.getSurface(),
                e.getDevice(),
                e.getCountry());
    }

    @Override
    public void close() {
        try {
            items.close();
            interactions.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close replay files", e);
        }
    }
}
