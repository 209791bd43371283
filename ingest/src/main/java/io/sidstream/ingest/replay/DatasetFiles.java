package io.sidstream.ingest.replay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The files of a dataset to replay. Given as a directory ({@link #of(Path)}), its format is told by the files in it:
 * MovieLens ({@code movies.dat} + {@code ratings.dat}), or the generic format ({@code items.jsonl} or {@code items.csv}, with {@code interactions.csv}
 * or {@code sequences.txt}), which is also what {@code sidstream simulate --out DIR} writes. Any of these files may be
 * gzip-compressed instead ({@code items.jsonl.gz}...); the plain file wins where both are there.
 *
 * @param format    the replay format ({@code movielens} or {@code generic}), also the key of its replay position
 * @param items     the items file
 * @param events    the interactions, ratings or sequences file
 * @param sequences whether {@code events} holds one line per user in time order (generic format only)
 */
public record DatasetFiles(String format, Path items, Path events, boolean sequences) {

    private static final String GZIP_SUFFIX = ".gz";

    public static DatasetFiles of(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no dataset directory at " + dir.toAbsolutePath());
        }
        Optional<Path> movies = first(dir, "movies.dat");
        Optional<Path> ratings = first(dir, "ratings.dat");
        if (movies.isPresent() && ratings.isPresent()) {
            return new DatasetFiles("movielens", movies.get(), ratings.get(), false);
        }
        Optional<Path> items = first(dir, "items.jsonl", "items.csv");
        Optional<Path> events = first(dir, "interactions.csv", "sequences.txt");
        if (items.isEmpty() || events.isEmpty()) {
            throw new IllegalArgumentException(
                    "cannot tell the dataset format of " + dir.toAbsolutePath() + ": expected "
                            + "movies.dat and ratings.dat (MovieLens), or items.jsonl/items.csv with interactions.csv or "
                            + "sequences.txt (generic)");
        }
        return new DatasetFiles(
                "generic", items.get(), events.get(), baseName(events.get()).equals("sequences.txt"));
    }

    /** Reads it; malformed lines are reported to {@code malformed} (which fails past its limit). */
    public Dataset read(ReplayConfig config, MalformedLines malformed) {
        if (format.equals("movielens")) {
            return new MovieLensReader(malformed).read(items, events);
        }
        GenericReader reader = new GenericReader(malformed, config);
        return sequences ? reader.readSequences(items, events) : reader.readInteractions(items, events);
    }

    /** Where a replay of this dataset records how far it got. */
    public ReplayPosition position(ReplayConfig config) {
        return new ReplayPosition(config.stateDir(), format, List.of(items, events));
    }

    private static Optional<Path> first(Path dir, String... names) {
        for (String name : names) {
            for (String candidate : List.of(name, name + GZIP_SUFFIX)) {
                if (Files.isRegularFile(dir.resolve(candidate))) {
                    return Optional.of(dir.resolve(candidate));
                }
            }
        }
        return Optional.empty();
    }

    /** The file's name without a {@code .gz} suffix: what tells its format. */
    static String baseName(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(GZIP_SUFFIX) ? name.substring(0, name.length() - GZIP_SUFFIX.length()) : name;
    }

    static boolean isGzip(Path file) {
        return file.getFileName().toString().endsWith(GZIP_SUFFIX);
    }
}
