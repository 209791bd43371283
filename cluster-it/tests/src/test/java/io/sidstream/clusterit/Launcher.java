package io.sidstream.clusterit;

import com.fasterxml.jackson.databind.JsonNode;
import io.sidstream.ops.Manifests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * sidstream's own processes as the manifests run them: the launcher ({@code io.sidstream.platform.Main} on
 * platform/target's jar and lib/, what the launcher image holds) with a Deployment's container args and environment,
 * its paths mapped onto this machine ({@code /etc/sidstream/sidstream.conf} to the test's configuration file, the
 * checkpoint volume to a directory) and its secrets given real values.
 */
final class Launcher {

    private final Path workDir;
    private final Path root;
    private final Manifests manifests;
    private final Map<String, String> paths;
    private final Map<String, String> secrets;
    private final Map<String, String> environment;

    /**
     * @param paths       manifest path -> local path
     * @param secrets     {@code <secret name>/<key>} -> value
     * @param environment what every process gets besides the manifest's variables (DJL's cache, one OpenMP thread)
     */
    Launcher(
            Path workDir,
            Path root,
            Manifests manifests,
            Map<String, String> paths,
            Map<String, String> secrets,
            Map<String, String> environment) {
        this.workDir = workDir;
        this.root = root;
        this.manifests = manifests;
        this.paths = paths;
        this.secrets = secrets;
        this.environment = environment;
    }

    /** The Deployment's container, with {@code --set} flags added after the manifest's (ports on this machine). */
    JvmProcess deployment(String name, String heap, Map<String, String> settings) {
        JsonNode container = manifests.get("Deployment", name).at("/spec/template/spec/containers/0");
        List<String> args = new ArrayList<>();
        container.get("args").forEach(a -> args.add(local(a.asText())));
        settings.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
        Map<String, String> env = new LinkedHashMap<>(environment);
        container.path("env").forEach(e -> env.put(e.get("name").asText(), secret(e.at("/valueFrom/secretKeyRef"))));
        return launch(name, heap, args, env);
    }

    /** Any launcher command against the cluster, with the configuration file every component reads. */
    JvmProcess command(String name, String heap, List<String> commandArgs, Map<String, String> settings) {
        List<String> args = new ArrayList<>(commandArgs);
        args.addAll(List.of("--config", local(Manifests.CONFIG_PATH)));
        settings.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("SIDSTREAM_REGISTRY_CLIENT_BASIC_AUTH_USER_INFO", secrets.get("schema-registry-credentials/user-info"));
        return launch(name, heap, args, env);
    }

    /** The environment a FlinkDeployment's containers get (its secrets), for the flink CLI that runs a job's main. */
    Map<String, String> flinkEnvironment(String deployment) {
        Map<String, String> env = new LinkedHashMap<>();
        manifests
                .get("FlinkDeployment", deployment)
                .at("/spec/podTemplate/spec/containers/0/env")
                .forEach(e -> env.put(e.get("name").asText(), secret(e.at("/valueFrom/secretKeyRef"))));
        return env;
    }

    /** A path of the manifests mapped onto this machine. */
    String local(String value) {
        String out = value;
        for (Map.Entry<String, String> path : paths.entrySet()) {
            out = out.replace(path.getKey(), path.getValue());
        }
        return out;
    }

    private String secret(JsonNode ref) {
        String key = ref.get("name").asText() + "/" + ref.get("key").asText();
        String value = secrets.get(key);
        if (value == null) {
            throw new AssertionError("the test has no value for secret " + key);
        }
        return value;
    }

    private JvmProcess launch(String name, String heap, List<String> args, Map<String, String> env) {
        Path target = root.resolve("platform/target");
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + heap, "-XX:+UseSerialGC"));
        try {
            jvm.addAll(Arrays.asList(
                    Files.readString(target.resolve("jvm.flags")).trim().split("\\s+")));
        } catch (IOException e) {
            throw new UncheckedIOException("platform/target/jvm.flags is missing: build the platform module first", e);
        }
        jvm.add("-Dio.tmp.dirs=" + workDir.resolve("tmp"));
        return JvmProcess.start(
                name,
                workDir,
                jvm,
                target.resolve("sidstream-platform.jar") + ":" + target.resolve("lib") + "/*",
                "io.sidstream.platform.Main",
                args,
                env);
    }
}
