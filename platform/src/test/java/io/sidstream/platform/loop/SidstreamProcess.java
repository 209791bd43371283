package io.sidstream.platform.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A {@code sidstream} command in a JVM of its own, on the test's classpath, its output in a file: as a user runs it. */
final class SidstreamProcess implements AutoCloseable {

    /** Longest a stop may take: "within a few seconds" with room for a loaded 2-core CI machine. */
    static final Duration STOP_BOUND = Duration.ofSeconds(20);

    private final Process process;
    private final Path log;

    private SidstreamProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** {@code sidstream up} with these settings, then {@code extraArgs} ({@code --replay DIR}...). */
    static SidstreamProcess up(Path dir, String name, Map<String, String> settings, String... extraArgs)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("up", "--summary-every", "5"));
        settings.forEach((key, value) -> {
            args.add("--set");
            args.add(key + "=" + value);
        });
        args.addAll(List.of(extraArgs));
        return start(dir, name, args);
    }

    /** {@code sidstream <args>}, run in {@code dir}, its output in {@code <dir>/<name>.log}. */
    static SidstreamProcess start(Path dir, String name, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // the test JVM's own flags (--add-opens, Avro and DJL properties, io.tmp.dirs), another heap
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> !arg.startsWith("-Xmx") && !arg.startsWith("-agentlib") && !arg.startsWith("-javaagent"))
                .forEach(command::add);
        command.add("-Xmx2g");
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add("io.sidstream.platform.Main");
        command.addAll(args);
        Path log = dir.resolve(name + ".log");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new SidstreamProcess(process, log);
    }

    void awaitUp() {
        awaitLog("sidstream is up", Duration.ofMinutes(3));
    }

    /** Waits until the output holds {@code text}, failing at once should the process end first. */
    void awaitLog(String text, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(process.isAlive())
                    .as("the process is running; its log: %s", log)
                    .isTrue();
            return log().contains(text);
        });
    }

    String log() throws IOException {
        return Files.readString(log, StandardCharsets.ISO_8859_1);
    }

    void kill9() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /** SIGTERM; the time until the process has exited. */
    Duration sigterm() throws InterruptedException {
        long started = System.nanoTime();
        process.destroy();
        assertThat(process.waitFor(2, TimeUnit.MINUTES))
                .as("exited after SIGTERM; its log: %s", log)
                .isTrue();
        return Duration.ofNanos(System.nanoTime() - started);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
