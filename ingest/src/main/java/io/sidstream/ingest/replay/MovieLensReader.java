package io.sidstream.ingest.replay;

import io.sidstream.schemas.Device;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.Surface;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MovieLens 1M/10M {@code .dat} files: {@code movies.dat} ({@code MovieID::Title::Genres}, Latin-1) and
 * {@code ratings.dat} ({@code UserID::MovieID::Rating::Timestamp}, seconds).
 *
 * <p>A rating r (0.5 to 5) becomes one engagement watching r/5 of the movie: a {@code LIKE} with the whole movie
 * watched for 5 stars, otherwise a {@code WATCH} of that fraction. Genres become tags; the creator is
 * {@code movielens}; event ids are {@code ml:<user>:<movie>:<timestamp>}, stable across runs.
 */
public final class MovieLensReader {

    private static final String SEPARATOR = "::";

    private final MalformedLines malformed;

    public MovieLensReader(MalformedLines malformed) {
        this.malformed = malformed;
    }

    public Dataset read(Path movies, Path ratings) {
        Map<String, Item> items = readMovies(movies);
        List<Interaction> interactions = readRatings(ratings, items);
        return new Dataset(items, interactions);
    }

    private Map<String, Item> readMovies(Path file) {
        Map<String, Item> items = new LinkedHashMap<>();
        eachRecord(file, 3, "MovieID::Title::Genres", (number, line, f) -> {
            String id = f[0].trim();
            if (!id.matches("\\d+")) {
                malformed.report(file, number, "movie id '" + id + "' is not a number");
                return;
            }
            if (items.containsKey(id)) {
                malformed.report(
                        file,
                        number,
                        "movie " + id + " appears twice (first at "
                                + items.get(id).source() + ")");
                return;
            }
            List<String> genres = f[2].isBlank() || f[2].equals("(no genres listed)")
                    ? List.of()
                    : Arrays.stream(f[2].split("\\|"))
                            .map(String::trim)
                            .filter(g -> !g.isEmpty())
                            .toList();
            items.put(
                    id,
                    new Item(
                            id,
                            "movielens",
                            f[1].trim(),
                            "",
                            genres,
                            null,
                            null,
                            null,
                            null,
                            file.getFileName() + ":" + number));
        });
        return items;
    }

    private List<Interaction> readRatings(Path file, Map<String, Item> items) {
        List<Interaction> out = new ArrayList<>();
        eachRecord(file, 4, "UserID::MovieID::Rating::Timestamp", (number, line, f) -> {
            String user = f[0].trim();
            String movie = f[1].trim();
            double rating;
            long seconds;
            try {
                rating = Double.parseDouble(f[2].trim());
                seconds = Long.parseLong(f[3].trim());
            } catch (NumberFormatException e) {
                malformed.report(file, number, "rating or timestamp is not a number: " + line);
                return;
            }
            if (!user.matches("\\d+")) {
                malformed.report(file, number, "user id '" + user + "' is not a number");
                return;
            }
            if (!(rating >= 0.5 && rating <= 5)) {
                malformed.report(file, number, "rating " + f[2].trim() + " is outside 0.5..5");
                return;
            }
            if (seconds <= 0) {
                malformed.report(file, number, "timestamp " + seconds + " is not a positive epoch second");
                return;
            }
            if (!items.containsKey(movie)) {
                malformed.report(file, number, "movie " + movie + " is not in the movies file");
                return;
            }
            EventType type = rating >= 5 ? EventType.LIKE : EventType.WATCH;
            out.add(new Interaction(
                    user,
                    movie,
                    seconds * 1000,
                    type,
                    rating / 5.0,
                    "ml:" + user + ":" + movie + ":" + seconds,
                    Surface.OTHER,
                    Device.OTHER,
                    "ZZ"));
        });
        return out;
    }

    private interface RecordHandler {
        void accept(long number, String line, String[] fields);
    }

    /** Every non-blank line of a latin-1 {@code ::} file with the right number of fields; the rest are reported. */
    private void eachRecord(Path file, int fields, String layout, RecordHandler handler) {
        // latin-1 maps every byte, so no line can fail to decode
        try (TextLines lines = new TextLines(file, StandardCharsets.ISO_8859_1)) {
            String line;
            long number = 0;
            while ((line = lines.next()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(SEPARATOR, -1);
                if (f.length != fields) {
                    malformed.report(file, number, "expected " + layout + ", found " + f.length + " fields");
                    continue;
                }
                handler.accept(number, line, f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
