package io.sidstream.model.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sidstream.model.block.SidRecModel;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.model.config.ModelShapes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checkpoints already on disk stay loadable: the file names, {@code model.json} and the parameter names are pinned to
 * what every checkpoint written so far holds (the trainer wrote the same before the model module existed).
 */
class CheckpointCompatibilityTest {

    /** {@code model.json} of {@link ModelShapes#small()} as the trainer has always written it. */
    private static final String SMALL_MODEL_JSON =
            "{\"levels\":3,\"codesPerLevel\":256,\"collisions\":64,\"dModel\":64,"
                    + "\"layers\":2,\"heads\":2,\"ffnDim\":128,\"maxHistory\":20,\"countryBuckets\":16,\"watchBuckets\":8,"
                    + "\"timeGapBuckets\":16,\"mtpHorizon\":1,\"mtpWeight\":0.5,\"itemBuckets\":0,\"headDim\":0,\"dropout\":0.0,"
                    + "\"clusterHeadDim\":0,\"catalogSoftmax\":false,\"wideBuckets\":0,\"wideItems\":0,\"transitionPrior\":false,"
                    + "\"transitionWeight\":0.0,\"transitionWindow\":0,\"transitionDistanceDecay\":1.0,"
                    + "\"transitionRecencyDecay\":1.0}";

    @Test
    void theFileNamesAreTheOnesOnDisk() {
        assertThat(List.of(
                        CheckpointLayout.MANIFEST,
                        CheckpointLayout.META,
                        CheckpointLayout.PARAMETERS,
                        CheckpointLayout.MODEL_JSON,
                        CheckpointLayout.REPLAY,
                        CheckpointLayout.HOLDOUT,
                        CheckpointLayout.VIDEOS,
                        CheckpointLayout.TRAINED_VIDEOS,
                        CheckpointLayout.OFFLINE_TABLE,
                        CheckpointLayout.CYCLE_RESULT,
                        CheckpointLayout.NOVEL_SHARE))
                .containsExactly(
                        "manifest.json",
                        "meta.json",
                        "parameters.bin",
                        "model.json",
                        "replay.avro",
                        "holdout.avro",
                        "videos.tsv",
                        "trained-videos.txt",
                        "offline-recommendations.tsv",
                        "cycle.json",
                        "novel_share");
        assertThat(CheckpointLayout.versionName(123)).isEqualTo("v000123");
        assertThat(CheckpointLayout.versionNumber("v000123")).isEqualTo(123);
    }

    @Test
    void modelJsonIsUnchangedAndReadsBack() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CheckpointLayout.writeModelConfig(ModelShapes.small(), out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(SMALL_MODEL_JSON);
        assertThat(new ObjectMapper().readValue(SMALL_MODEL_JSON, ModelConfig.class))
                .isEqualTo(ModelShapes.small());
    }

    @Test
    void theParameterNamesAreTheOnesInTheParameterFiles() {
        List<String> expected = new ArrayList<>(List.of("token_embedding", "position_embedding"));
        for (int layer = 0; layer < 2; layer++) {
            for (String name : List.of(
                    "ln1_gamma",
                    "ln1_beta",
                    "qkv_w",
                    "qkv_b",
                    "attn_out_w",
                    "attn_out_b",
                    "ln2_gamma",
                    "ln2_beta",
                    "ffn_w1",
                    "ffn_b1",
                    "ffn_w2",
                    "ffn_b2")) {
                expected.add("layer" + layer + "_" + name);
            }
        }
        expected.addAll(List.of(
                "final_ln_gamma",
                "final_ln_beta",
                "step_embedding",
                "head_ln_gamma",
                "head_ln_beta",
                "head_w",
                "head_b",
                "out_w_0",
                "out_b_0",
                "out_w_1",
                "out_b_1",
                "out_w_2",
                "out_b_2",
                "out_w_3",
                "out_b_3",
                "cluster_proj_w",
                "cluster_out_w",
                "cluster_out_b",
                "wide_w"));
        try (SidRecModel model = SidRecModel.create(ModelShapes.withItemBucketsAndWideHead(), "cb", Device.cpu())) {
            assertThat(model.block().getParameters().keys()).containsExactlyElementsOf(expected);
        }
    }
}
