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

/** The documents of ops/k8s, read once for the tests that check them. */
final class Manifests {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    /** Where every container finds the ConfigMap's sidstream.conf. */
    static final String CONFIG_PATH = "/etc/sidstream/sidstream.conf";

    private static List<JsonNode> documents;

    private Manifests() {
    }

    static synchronized List<JsonNode> all() {
        if (documents == null) {
            documents = read(Path.of("k8s"));
        }
        return documents;
    }

    static List<JsonNode> ofKind(String kind) {
        return all().stream().filter(d -> d.get("kind").asText().equals(kind)).toList();
    }

    static JsonNode named(String kind, String name) {
        return ofKind(kind).stream().filter(d -> d.at("/metadata/name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in ops/k8s"));
    }

    /** The ConfigMap's sidstream.conf, written where a test can point {@code --config} at it. */
    static Path configFile() {
        try {
            Path conf = Files.createTempFile("sidstream", ".conf");
            Files.writeString(conf, named("ConfigMap", "sidstream-config").at("/data/sidstream.conf").asText());
            return conf;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JsonNode> read(Path dir) {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
                    YAML.readValues(parser, JsonNode.class).readAll().stream()
                            .filter(doc -> doc != null && !doc.isNull() && !doc.isMissingNode()).forEach(docs::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }
}
