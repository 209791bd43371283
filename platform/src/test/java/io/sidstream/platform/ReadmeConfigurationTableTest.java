package io.sidstream.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.core.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every configuration key of every module on the launcher's classpath has a row in the README's table. */
class ReadmeConfigurationTableTest {

    private static final Pattern ROW_KEY = Pattern.compile("^\\| `([a-z0-9.<>*-]+)` \\|", Pattern.MULTILINE);

    @Test
    void documentsEveryKeyTheModulesDefine() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        Set<String> documented = new TreeSet<>();
        Matcher row = ROW_KEY.matcher(readme);
        while (row.find()) {
            documented.add(row.group(1));
        }

        Set<String> defined = new TreeSet<>();
        ConfigLoader.defaults().raw().entrySet().forEach(entry -> defined.add(entry.getKey()));

        assertThat(documented).as("keys in the README's configuration table").isNotEmpty();
        assertThat(defined)
                .allSatisfy(key ->
                        assertThat(documented).as("README row for %s", key).contains(key));
    }
}
