package io.sidstream.flink.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the newest complete checkpoint a job left in a local checkpoint directory
 * ({@code <dir>/<job id>/chk-<n>/_metadata}), so a restarted embedded platform resumes its jobs' state instead of
 * starting them empty.
 */
public final class RetainedCheckpoints {

    private RetainedCheckpoints() {}

    public static Optional<Path> latest(Path checkpointDir) {
        if (!Files.isDirectory(checkpointDir)) {
            return Optional.empty();
        }
        try (Stream<Path> jobs = Files.list(checkpointDir)) {
            return jobs.filter(Files::isDirectory)
                    .flatMap(RetainedCheckpoints::completed)
                    .max(Comparator.comparing(RetainedCheckpoints::modified));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + checkpointDir, e);
        }
    }

    private static Stream<Path> completed(Path jobDir) {
        try (Stream<Path> entries = Files.list(jobDir)) {
            return entries
                    .filter(p -> p.getFileName().toString().startsWith("chk-"))
                    .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
                    .toList()
                    .stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + jobDir, e);
        }
    }

    private static long modified(Path checkpoint) {
        try {
            return Files.getLastModifiedTime(checkpoint.resolve("_metadata")).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
