package io.sidstream.ingest.replay;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * How far a replay got: the number of timeline events Kafka has acknowledged, in a small properties file under the
 * state directory, named after the inputs. Written atomically and only after a producer flush, so a resumed run
 * never skips an event (it may resend the few after the last checkpoint; their ids are stable).
 */
public final class ReplayPosition {

    private final Path file;
    private final String inputs;

    public ReplayPosition(Path stateDir, String format, List<Path> inputFiles) {
        StringBuilder key = new StringBuilder(format);
        for (Path p : inputFiles) {
            key.append('|').append(p.toAbsolutePath().normalize());
        }
        this.inputs = key.toString();
        this.file = stateDir.resolve("replay-" + sha(inputs).substring(0, 16) + ".properties");
    }

    public Path file() {
        return file;
    }

    /** Events already published by an earlier run; 0 when there is none. */
    public long load() {
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read replay position " + file, e);
        }
        if (!inputs.equals(p.getProperty("inputs"))) {
            throw new IllegalStateException(
                    "replay position " + file + " belongs to other inputs: " + p.getProperty("inputs"));
        }
        try {
            return Long.parseLong(p.getProperty("published", "0"));
        } catch (NumberFormatException e) {
            throw new IllegalStateException(
                    "replay position " + file + " is corrupt: published=" + p.getProperty("published"));
        }
    }

    public void save(long published, long total) {
        Properties p = new Properties();
        p.setProperty("inputs", inputs);
        p.setProperty("published", Long.toString(published));
        p.setProperty("total", Long.toString(total));
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            // a stream rather than a channel: an interrupt (the replay told to stop) must not cut the write short
            try (var out = new OutputStreamWriter(new FileOutputStream(tmp.toFile()), StandardCharsets.UTF_8)) {
                p.store(out, "sidstream replay position");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write replay position " + file, e);
        }
    }

    private static String sha(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
