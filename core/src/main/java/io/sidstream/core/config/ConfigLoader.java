package io.sidstream.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Loads sidstream's configuration with Typesafe Config, in this precedence (lowest first): the defaults in every
 * module's {@code reference.conf}, an optional HOCON/JSON/properties file, environment variables prefixed
 * {@code SIDSTREAM_}, and command-line overrides ({@code key=value}).
 *
 * <p>An environment variable maps to a key by dropping the prefix, lower-casing, and reading {@code __} as
 * {@code -} and {@code _} as {@code .}: {@code SIDSTREAM_KAFKA_BOOTSTRAP_SERVERS} is {@code kafka.bootstrap.servers},
 * {@code SIDSTREAM_REGISTRY_AUTO__REGISTER} is {@code registry.auto-register}. A list-valued key takes its value from a
 * variable or flag as a HOCON/JSON list or as comma-separated values ({@link #withLists}).
 *
 * <p>A key that no module defines is an error, so a typo never silently falls back to a default; the sections that
 * pass through to client libraries ({@link #PASS_THROUGH}) accept any key.
 */
public final class ConfigLoader {

    public static final String ENV_PREFIX = "SIDSTREAM_";

    /** Sections whose keys go to a client library unchanged and are therefore not checked here. */
    public static final List<String> PASS_THROUGH = List.of("kafka", "registry.client", "topics.partitions");

    /** What a program does with each configuration it loads (the sidstream command: apply logging.format). */
    private static volatile Consumer<SidstreamConfig> whenLoaded = config -> {};

    private ConfigLoader() {}

    /**
     * Runs {@code action} on every configuration loaded from now on. A hook rather than a call in each command: every
     * subcommand loads its configuration itself, and settings such as the log format must follow what it loaded.
     */
    public static void whenLoaded(Consumer<SidstreamConfig> action) {
        whenLoaded = action;
    }

    public static SidstreamConfig load(
            Optional<Path> file, Map<String, String> environment, Map<String, String> overrides) {
        return load(file, environment, overrides, ConfigFactory.empty());
    }

    /**
     * As {@link #load(Optional, Map, Map)} with a command's profile between the defaults and the file: what a command
     * changes from the components' defaults (e.g. {@code sidstream up}'s short training cycles).
     */
    public static SidstreamConfig load(
            Optional<Path> file, Map<String, String> environment, Map<String, String> overrides, Config profile) {
        Config reference = reference();
        Config fromFile = file.map(ConfigLoader::parseFile).orElse(ConfigFactory.empty());
        Config fromEnv = ConfigFactory.parseMap(
                withLists(fromEnvironment(environment), reference), "environment variables " + ENV_PREFIX + "*");
        Config fromFlags = ConfigFactory.parseMap(withLists(overrides, reference), "command-line overrides");
        Config merged = fromFlags
                .withFallback(fromEnv)
                .withFallback(fromFile)
                .withFallback(profile)
                .withFallback(reference)
                .resolve(ConfigResolveOptions.defaults().setAllowUnresolved(false));
        rejectUnknownKeys(merged, reference);
        try {
            merged.checkValid(reference);
            SidstreamConfig config = new SidstreamConfig(merged);
            config.validateSharedSections();
            whenLoaded.accept(config);
            return config;
        } catch (ConfigException e) {
            throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
        }
    }

    /** Defaults only: what the embedded platform and tests start from. */
    public static SidstreamConfig defaults() {
        return load(Optional.empty(), Map.of(), Map.of());
    }

    /** Defaults with overrides, for tests and programs that set a few keys. */
    public static SidstreamConfig withOverrides(Map<String, String> overrides) {
        return load(Optional.empty(), Map.of(), overrides);
    }

    /** Every module's reference.conf on the classpath, merged; unlike Typesafe's default, without system properties. */
    static Config reference() {
        return ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf")
                .resolve();
    }

    static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> keys = new HashMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
                String key = name.substring(ENV_PREFIX.length())
                        .toLowerCase(Locale.ROOT)
                        .replace("__", "\u0000")
                        .replace('_', '.')
                        .replace('\u0000', '-');
                keys.put(key, value);
            }
        });
        return keys;
    }

    /**
     * Flags and environment variables are strings; a key whose default is a list takes one as a HOCON/JSON list
     * ({@code ["a", "b"]}) or as comma-separated values ({@code a,b}; empty for an empty list).
     */
    static Map<String, Object> withLists(Map<String, String> values, Config reference) {
        Map<String, Object> typed = new HashMap<>();
        values.forEach((key, value) -> {
            boolean list = isPath(key)
                    && reference.hasPath(key)
                    && reference.getValue(key).valueType() == com.typesafe.config.ConfigValueType.LIST;
            typed.put(key, list ? parseList(key, value) : value);
        });
        return typed;
    }

    private static boolean isPath(String key) {
        try {
            com.typesafe.config.ConfigUtil.splitPath(key);
            return true;
        } catch (ConfigException e) {
            return false;
        }
    }

    private static List<Object> parseList(String key, String value) {
        String text = value.strip();
        if (text.startsWith("[")) {
            try {
                return ConfigFactory.parseString("list = " + text)
                        .getList("list")
                        .unwrapped();
            } catch (ConfigException e) {
                throw new IllegalArgumentException(
                        "invalid configuration: " + key + " must be a list like [\"a\", \"b\"] " + "or a,b: "
                                + e.getMessage(),
                        e);
            }
        }
        List<Object> items = new ArrayList<>();
        for (String item : text.split(",")) {
            if (!item.isBlank()) {
                items.add(item.strip());
            }
        }
        return items;
    }

    private static Config parseFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("configuration file " + path + " does not exist");
        }
        try {
            return ConfigFactory.parseFile(
                    path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("cannot read configuration file " + path + ": " + e.getMessage(), e);
        }
    }

    private static void rejectUnknownKeys(Config merged, Config reference) {
        List<String> unknown = new ArrayList<>();
        merged.entrySet().forEach(entry -> {
            String key = entry.getKey();
            boolean passThrough = PASS_THROUGH.stream().anyMatch(section -> key.startsWith(section + "."));
            if (!passThrough && !reference.hasPathOrNull(key)) {
                unknown.add(key + " (from " + entry.getValue().origin().description() + ")");
            }
        });
        if (!unknown.isEmpty()) {
            unknown.sort(null);
            throw new IllegalArgumentException("unknown configuration keys: " + String.join(", ", unknown));
        }
    }
}
