package io.sidstream.clusterit;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A standalone Flink session cluster as {@code jobmanager.sh} and {@code taskmanager.sh} start one: a JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code TaskManagerRunner}), each a JVM of its own with
 * the memory parameters {@code BashJavaUtils} computes, on the classpath of a plain Flink distribution (cluster-it's
 * flink-dist) plus the TaskManager libraries sidstream's job jars need (tokenizer-stream/flink-lib). Jobs go in through
 * Flink's CLI ({@code CliFrontend}, what {@code flink run} is) and are watched through the REST API.
 */
final class FlinkCluster implements AutoCloseable {

    /** What a Flink distribution's config.yaml passes every Flink JVM on Java 17 (env.java.default-opts.all). */
    private static final List<String> FLINK_JAVA_17_OPTS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
    private static final Pattern SAVEPOINT = Pattern.compile("Savepoint completed\\. Path: (\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path dir;
    private final Path confDir;
    private final String classpath;
    private final List<String> javaOpts;
    private final int restPort = Ports.free();
    private final List<JvmProcess> processes = new ArrayList<>();
    private final Map<String, JvmProcess> taskManagers = new LinkedHashMap<>();
    private final Map<String, Path> djlCaches = new LinkedHashMap<>();
    private JvmProcess jobManager;
    private int cliRuns;

    /**
     * @param settings the cluster's configuration (config.yaml), without addresses and ports, which this class adds
     * @param javaOpts what {@code env.java.opts.all} says
     */
    private FlinkCluster(Path dir, String classpath, Map<String, String> settings, List<String> javaOpts) {
        this.dir = dir;
        this.confDir = dir.resolve("conf");
        this.classpath = classpath;
        this.javaOpts = javaOpts;
        Map<String, String> config = new LinkedHashMap<>(settings);
        config.put("jobmanager.rpc.address", "127.0.0.1");
        config.put("jobmanager.bind-host", "127.0.0.1");
        config.put("jobmanager.rpc.port", String.valueOf(Ports.free()));
        config.put("rest.address", "127.0.0.1");
        config.put("rest.bind-address", "127.0.0.1");
        config.put("rest.port", String.valueOf(restPort));
        config.put("taskmanager.host", "127.0.0.1");
        config.put("taskmanager.bind-host", "127.0.0.1");
        config.put("io.tmp.dirs", dir.resolve("tmp").toString());
        try {
            Files.createDirectories(confDir);
            Files.createDirectories(dir.resolve("tmp"));
            StringBuilder yaml = new StringBuilder();
            // flat keys, quoted: what Flink's config.yaml parser takes for any value
            config.forEach((k, v) -> yaml.append(k)
                    .append(": \"")
                    .append(v.replace("\"", "\\\""))
                    .append("\"\n"));
            Files.writeString(confDir.resolve("config.yaml"), yaml);
            Files.writeString(confDir.resolve("logback.xml"), """
                    <configuration>
                      <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
                      </appender>
                      <logger name="org.apache.kafka" level="WARN"/>
                      <logger name="org.apache.flink.runtime.checkpoint.CheckpointCoordinator" level="WARN"/>
                      <logger name="org.apache.flink.runtime.checkpoint.CheckpointFailureManager" level="WARN"/>
                      <logger name="org.apache.flink.metrics.MetricGroup" level="ERROR"/>
                      <root level="INFO"><appender-ref ref="OUT"/></root>
                    </configuration>
                    """);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the configuration and starts the JobManager; TaskManagers come with {@link #startTaskManager}. */
    static FlinkCluster start(Path dir, String classpath, Map<String, String> settings, List<String> javaOpts) {
        FlinkCluster cluster = new FlinkCluster(dir, classpath, settings, javaOpts);
        cluster.jobManager = cluster.startJvm(
                "jobmanager",
                "GET_JM_RESOURCE_PARAMS",
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                List.of(),
                Map.of());
        return cluster;
    }

    /**
     * A TaskManager named {@code id} (its resource id, as the REST API shows it) with {@code slots} slots; its DJL cache
     * is its own, so the test can see what it extracted.
     */
    JvmProcess startTaskManager(String id, int slots) {
        Path djl = dir.resolve(id).resolve("djl");
        djlCaches.put(id, djl);
        JvmProcess tm = startJvm(
                id,
                "GET_TM_RESOURCE_PARAMS",
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                List.of("-D", "taskmanager.resource-id=" + id, "-D", "taskmanager.numberOfTaskSlots=" + slots),
                Map.of("DJL_CACHE_DIR", djl.toString(), "ENGINE_CACHE_DIR", djl.toString()));
        taskManagers.put(id, tm);
        return tm;
    }

    private JvmProcess startJvm(
            String name, String resourceParams, String mainClass, List<String> dynamic, Map<String, String> env) {
        List<String> params = resourceParams(resourceParams, dynamic);
        List<String> jvm = new ArrayList<>(FLINK_JAVA_17_OPTS);
        jvm.addAll(javaOpts);
        jvm.addAll(Arrays.asList(params.get(0).split(" ")));
        jvm.add("-Dlogback.configurationFile=" + confDir.resolve("logback.xml"));
        List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
        args.addAll(dynamic);
        args.addAll(Arrays.asList(params.get(1).split(" ")));
        JvmProcess process = JvmProcess.start(name, dir, jvm, classpath, mainClass, args, env);
        processes.add(process);
        return process;
    }

    /** The two lines BashJavaUtils prints: JVM memory parameters, then the dynamic configuration that goes with them. */
    private List<String> resourceParams(String command, List<String> dynamic) {
        List<String> args = new ArrayList<>(List.of(command, "--configDir", confDir.toString()));
        args.addAll(dynamic);
        String out = JvmProcess.start(
                        "bash-java-utils-" + command.toLowerCase(),
                        dir,
                        List.of("-Xmx128m"),
                        classpath,
                        "org.apache.flink.runtime.util.bash.BashJavaUtils",
                        args,
                        Map.of())
                .awaitSuccess(Duration.ofMinutes(1));
        List<String> results = out.lines()
                .filter(l -> l.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
                .map(l -> l.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).trim())
                .toList();
        List<String> last = results.subList(results.size() - 2, results.size());
        return last;
    }

    /** Waits until {@code count} TaskManagers are registered. */
    void awaitTaskManagers(int count, Duration atMost) {
        await(count + " TaskManagers registered")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> {
                    if (!jobManager.isAlive()) {
                        throw new AssertionError("the JobManager exited: " + jobManager.tail());
                    }
                    return rest("/taskmanagers").get("taskmanagers").size() == count;
                });
    }

    /**
     * {@code flink run -d [-p parallelism] [-s savepoint] -c entryClass jar args}; returns the job id. {@code env} is
     * the client's environment (the job's main reads sidstream's configuration there).
     */
    String run(
            Path jar,
            String entryClass,
            int parallelism,
            String savepoint,
            List<String> jobArgs,
            Map<String, String> env) {
        List<String> args = new ArrayList<>(List.of("run", "-d", "-p", String.valueOf(parallelism)));
        if (savepoint != null) {
            args.addAll(List.of("-s", savepoint));
        }
        args.addAll(List.of("-c", entryClass, jar.toString()));
        args.addAll(jobArgs);
        String out = cli(args, env, Duration.ofMinutes(3));
        Matcher id = JOB_ID.matcher(out);
        if (!id.find()) {
            throw new AssertionError("flink run printed no job id:\n" + out);
        }
        return id.group(1);
    }

    /** {@code flink stop --savepointPath dir jobId}: a savepoint, then the job finishes; returns the savepoint's path. */
    String stopWithSavepoint(String jobId, Path savepoints) {
        String out = cli(
                List.of("stop", "--savepointPath", savepoints.toUri().toString(), jobId),
                Map.of(),
                Duration.ofMinutes(3));
        Matcher path = SAVEPOINT.matcher(out);
        if (!path.find()) {
            throw new AssertionError("flink stop printed no savepoint path:\n" + out);
        }
        return path.group(1);
    }

    void cancel(String jobId) {
        cli(List.of("cancel", jobId), Map.of(), Duration.ofMinutes(2));
    }

    private String cli(List<String> args, Map<String, String> env, Duration atMost) {
        Map<String, String> environment = new LinkedHashMap<>(env);
        environment.put("FLINK_CONF_DIR", confDir.toString());
        List<String> jvm = new ArrayList<>(FLINK_JAVA_17_OPTS);
        jvm.addAll(List.of("-Xmx512m", "-Dlogback.configurationFile=" + confDir.resolve("logback.xml")));
        jvm.addAll(javaOpts);
        JvmProcess client = JvmProcess.start(
                "flink-cli-" + (++cliRuns) + "-" + args.get(0),
                dir,
                jvm,
                classpath,
                "org.apache.flink.client.cli.CliFrontend",
                args,
                environment);
        return client.awaitSuccess(atMost);
    }

    JsonNode rest(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    String state(String jobId) throws IOException, InterruptedException {
        return rest("/jobs/" + jobId).get("state").asText();
    }

    /** Waits until the job and every one of its tasks run. */
    void awaitRunning(String jobId, Duration atMost) {
        await(jobId + " running")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> {
                    JsonNode job = rest("/jobs/" + jobId);
                    String state = job.get("state").asText();
                    if (state.equals("FAILED") || state.equals("CANCELED") || state.equals("FINISHED")) {
                        throw new AssertionError(
                                "job " + jobId + " is " + state + ": " + rest("/jobs/" + jobId + "/exceptions"));
                    }
                    boolean allRunning = true;
                    for (JsonNode vertex : job.get("vertices")) {
                        allRunning &= vertex.get("status").asText().equals("RUNNING");
                    }
                    return state.equals("RUNNING") && allRunning;
                });
    }

    /** The resource ids of the TaskManagers that run any task of the job. */
    Set<String> taskManagersOf(String jobId) throws IOException, InterruptedException {
        Set<String> ids = new TreeSet<>();
        for (JsonNode vertex : rest("/jobs/" + jobId).get("vertices")) {
            for (JsonNode tm : rest("/jobs/" + jobId + "/vertices/"
                            + vertex.get("id").asText() + "/taskmanagers")
                    .get("taskmanagers")) {
                ids.add(tm.get("taskmanager-id").asText());
            }
        }
        return ids;
    }

    Map<String, JvmProcess> taskManagers() {
        return taskManagers;
    }

    Path djlCache(String taskManager) {
        return djlCaches.get(taskManager);
    }

    JvmProcess jobManager() {
        return jobManager;
    }

    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
    }
}
