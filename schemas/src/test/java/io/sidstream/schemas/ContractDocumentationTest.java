package io.sidstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

class ContractDocumentationTest {

    @Test
    void everyFieldAndNamedTypeOfEveryContractHasADoc() {
        List<String> undocumented = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Class<?> type : Contracts.VALUE_TYPES) {
            collectUndocumented(SpecificData.get().getSchema(type), seen, undocumented);
        }
        assertThat(seen)
                .contains(
                        "io.sidstream.schemas.Engagement",
                        "io.sidstream.schemas.HistoryItem",
                        "io.sidstream.schemas.EventType",
                        "io.sidstream.schemas.SidEntry");
        assertThat(undocumented).isEmpty();
    }

    private static void collectUndocumented(Schema schema, Set<String> seen, List<String> undocumented) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                requireDoc(schema.getFullName(), schema.getDoc(), undocumented);
                for (Schema.Field field : schema.getFields()) {
                    requireDoc(schema.getFullName() + "." + field.name(), field.doc(), undocumented);
                    collectUndocumented(field.schema(), seen, undocumented);
                }
            }
            case ENUM -> {
                if (seen.add(schema.getFullName())) {
                    requireDoc(schema.getFullName(), schema.getDoc(), undocumented);
                }
            }
            case ARRAY -> collectUndocumented(schema.getElementType(), seen, undocumented);
            case MAP -> collectUndocumented(schema.getValueType(), seen, undocumented);
            case UNION -> schema.getTypes().forEach(s -> collectUndocumented(s, seen, undocumented));
            default -> {}
        }
    }

    private static void requireDoc(String name, String doc, List<String> undocumented) {
        if (doc == null || doc.isBlank()) {
            undocumented.add(name);
        }
    }
}
