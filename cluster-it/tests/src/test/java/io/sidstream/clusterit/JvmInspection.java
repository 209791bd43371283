package io.sidstream.clusterit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A look inside a running JVM with the JDK's {@code jcmd}: thread names, a heap dump. */
final class JvmInspection {

    private JvmInspection() {}

    /** The names of the JVM's threads. */
    static List<String> threadNames(long pid) {
        return jcmd(pid, "Thread.print")
                .lines()
                .filter(l -> l.startsWith("\""))
                .map(l -> l.substring(1, l.indexOf('"', 1)))
                .toList();
    }

    /** A heap dump of the JVM's live objects (after a full GC) to {@code file}. */
    static void heapDump(long pid, java.nio.file.Path file) {
        jcmd(pid, "GC.heap_dump", file.toString());
    }

    private static String jcmd(long pid, String... command) {
        try {
            List<String> line = new java.util.ArrayList<>(List.of(
                    java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd")
                            .toString(),
                    String.valueOf(pid)));
            line.addAll(List.of(command));
            Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                throw new AssertionError("jcmd " + pid + " " + String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
