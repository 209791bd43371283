package io.sidstream.ops;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The documents of ops/k8s, for the tests that check them and (through ops' test jar) for the cluster test, which runs
 * every component with the configuration they give it.
 */
public final class Manifests {

    static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    /** Where every container finds the ConfigMap's sidstream.conf. */
    public static final String CONFIG_PATH = "/etc/sidstream/sidstream.conf";

    private static Manifests ops;

    private final List<JsonNode> documents;

    private Manifests(List<JsonNode> documents) {
        this.documents = documents;
    }

    /** Every document of every .yaml file in {@code dir}, in file order. */
    public static Manifests in(Path dir) {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file :
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
                    YAML.readValues(parser, JsonNode.class).readAll().stream()
                            .filter(doc -> doc != null && !doc.isNull() && !doc.isMissingNode())
                            .forEach(docs::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Manifests(List.copyOf(docs));
    }

    /** The manifests of ops/k8s, seen from the ops module (where its tests run). */
    static synchronized Manifests ops() {
        if (ops == null) {
            ops = in(Path.of("k8s"));
        }
        return ops;
    }

    static List<JsonNode> all() {
        return ops().documents;
    }

    static List<JsonNode> ofKind(String kind) {
        return ops().kind(kind);
    }

    static JsonNode named(String kind, String name) {
        return ops().get(kind, name);
    }

    /** The ConfigMap's sidstream.conf, written where a test can point {@code --config} at it. */
    static Path configFile() {
        try {
            Path conf = Files.createTempFile("sidstream", ".conf");
            Files.writeString(conf, ops().sidstreamConf());
            return conf;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<JsonNode> kind(String kind) {
        return documents.stream()
                .filter(d -> d.get("kind").asText().equals(kind))
                .toList();
    }

    public JsonNode get(String kind, String name) {
        return kind(kind).stream()
                .filter(d -> d.at("/metadata/name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in the manifests"));
    }

    /** The text of sidstream.conf in the sidstream-config ConfigMap. */
    public String sidstreamConf() {
        return get("ConfigMap", "sidstream-config").at("/data/sidstream.conf").asText();
    }
}
