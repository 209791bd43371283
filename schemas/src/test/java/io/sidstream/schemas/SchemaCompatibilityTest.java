package io.sidstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.CompatibilityChecker;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each contract stays BACKWARD compatible (new readers read old data) with its last released version, judged by the
 * Confluent client's own checker. Released versions are frozen under src/test/resources/released/v&lt;N&gt;/: on a
 * release, copy the current schemas to a new v&lt;N+1&gt; folder.
 */
class SchemaCompatibilityTest {

    /** The newest released version folder. */
    static final String LATEST_RELEASE = "v1";

    static List<Class<? extends SpecificRecord>> contracts() {
        return Contracts.VALUE_TYPES;
    }

    @ParameterizedTest
    @MethodSource("contracts")
    void currentSchemaIsBackwardCompatibleWithItsLastReleasedVersion(Class<? extends SpecificRecord> type)
            throws IOException {
        AvroSchema current = new AvroSchema(SpecificData.get().getSchema(type).toString());
        AvroSchema released = new AvroSchema(released(type.getSimpleName()));

        List<String> problems = CompatibilityChecker.BACKWARD_CHECKER.isCompatible(current, List.of(released));

        assertThat(problems)
                .as(type.getSimpleName() + " must stay readable for data written with " + LATEST_RELEASE)
                .isEmpty();
    }

    @Test
    void theCheckerRejectsABreakingChange() throws IOException {
        String released = released("Engagement");
        // a new required field without a default cannot be filled in when reading old records
        String breaking = released.replace(
                "\"fields\" : [", "\"fields\" : [ {\"name\": \"sessionId\", \"type\": \"string\", \"doc\": \"new\"},");
        List<String> problems = CompatibilityChecker.BACKWARD_CHECKER.isCompatible(
                new AvroSchema(breaking), List.of(new AvroSchema(released)));
        assertThat(problems).isNotEmpty().anySatisfy(p -> assertThat(p).contains("sessionId"));

        // the same field with a default is a compatible evolution
        String compatible = released.replace(
                "\"fields\" : [",
                "\"fields\" : [ {\"name\": \"sessionId\", \"type\": \"string\", \"default\": \"\", \"doc\": \"new\"},");
        assertThat(CompatibilityChecker.BACKWARD_CHECKER.isCompatible(
                        new AvroSchema(compatible), List.of(new AvroSchema(released))))
                .isEmpty();
    }

    private static String released(String name) throws IOException {
        String path = "/released/" + LATEST_RELEASE + "/" + name + ".avsc";
        try (InputStream in = SchemaCompatibilityTest.class.getResourceAsStream(path)) {
            assertThat(in)
                    .as("released schema " + path + " (freeze every new contract at release)")
                    .isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
