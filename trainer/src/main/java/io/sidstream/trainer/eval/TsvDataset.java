package io.sidstream.trainer.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The plain in-memory inputs of the eval harness read from two tab-separated files: interactions
 * ({@code user, video, time in epoch millis}) and SIDs ({@code video, comma-separated codes with the collision token
 * last}). Lines starting with {@code #} are comments.
 */
public final class TsvDataset {

    private TsvDataset() {}

    public static List<Interaction> interactions(Path file) {
        List<Interaction> out = new ArrayList<>();
        forEachRow(file, 3, (line, cols) -> out.add(new Interaction(cols[0], cols[1], parseLong(file, line, cols[2]))));
        return out;
    }

    public static Map<String, List<Integer>> sids(Path file) {
        Map<String, List<Integer>> out = new HashMap<>();
        forEachRow(file, 2, (line, cols) -> {
            List<Integer> codes = new ArrayList<>();
            for (String code : cols[1].split(",")) {
                codes.add((int) parseLong(file, line, code.trim()));
            }
            out.put(cols[0], List.copyOf(codes));
        });
        return out;
    }

    private interface Row {
        void accept(int line, String[] cols);
    }

    private static void forEachRow(Path file, int columns, Row row) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t");
                if (cols.length < columns) {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected " + columns
                            + " tab-separated columns, got " + cols.length);
                }
                row.accept(i + 1, cols);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static long parseLong(Path file, int line, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ":" + line + ": not a number: " + value);
        }
    }
}
