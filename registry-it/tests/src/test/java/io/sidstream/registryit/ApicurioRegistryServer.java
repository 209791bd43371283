package io.sidstream.registryit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The Apicurio Registry assembled by the apicurio-server module, run as its own JVM on a free port of 127.0.0.1:
 * in-memory H2 storage, its Confluent-compatible API at {@code /apis/ccompat/v7}, every {@code /apis/*} call behind
 * HTTP basic auth with one user. Its console goes to a log file next to the test reports.
 */
public final class ApicurioRegistryServer implements AutoCloseable {

    public static final String USER = "sidstream-it";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final int port;
    private final String password;
    private final Path log;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ApicurioRegistryServer(Process process, int port, String password, Path log) {
        this.process = process;
        this.port = port;
        this.password = password;
        this.log = log;
    }

    /**
     * Starts the server and waits until it answers its readiness check. The free port is picked before the server
     * binds it, so another process may take it first: then the server exits and is started again on another port.
     */
    public static ApicurioRegistryServer start(Path app, Path log, String password) throws Exception {
        if (!Files.isRegularFile(app)) {
            throw new IllegalStateException(app + " is missing: build the registry-it/apicurio-server module first"
                    + " (mvn -B -pl registry-it/tests -am verify)");
        }
        for (int attempt = 1; ; attempt++) {
            ApicurioRegistryServer server = launch(app, log, password, freePort());
            try {
                server.awaitReady();
                return server;
            } catch (ExitedWhileStarting e) {
                if (attempt == 3) {
                    throw e;
                }
            } catch (Exception | Error e) {
                server.close();
                throw e;
            }
        }
    }

    private static ApicurioRegistryServer launch(Path app, Path log, String password, int port) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(
                java.toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                // a server-side failure comes back with its stack trace, so the test's error says what broke
                "-Dregistry.api.errors.include-stack-in-response=true",
                "-Dquarkus.security.users.embedded.users." + USER + "=" + password,
                "-jar",
                app.toString()));
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new ApicurioRegistryServer(process, port, password, log);
    }

    /** The URL the platform's {@code registry.url} gets. */
    public String url() {
        return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
    }

    public String password() {
        return password;
    }

    /** A ccompat API call as the registry's user; returns status and body. */
    HttpResponse<String> call(String method, String path, String jsonBody) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(30))
                .header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .header("Accept", "application/vnd.schemaregistry.v1+json");
        if (jsonBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitReady() throws Exception {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                .timeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new ExitedWhileStarting("Apicurio Registry exited with " + process.exitValue()
                        + " while starting; its log: " + log + "\n" + tail());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // keep polling
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(
                "Apicurio Registry not ready after " + START_TIMEOUT + "; its log: " + log + "\n" + tail());
    }

    private static final class ExitedWhileStarting extends IllegalStateException {
        ExitedWhileStarting(String message) {
            super(message);
        }
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
