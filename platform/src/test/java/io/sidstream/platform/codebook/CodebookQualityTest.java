package io.sidstream.platform.codebook;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.ingest.world.WorldCatalog;
import io.sidstream.ingest.world.WorldConfig;
import io.sidstream.tokenizer.codebook.CodebookTrainer;
import io.sidstream.tokenizer.codebook.KMeansOptions;
import io.sidstream.tokenizer.codebook.QualityReport;
import org.junit.jupiter.api.Test;

/**
 * The quality target on the synthetic world's catalog: the content embeddings of its first 50,000 videos
 * (ingest's {@code SyntheticWorld}, default config, seed 42) with the default 3 x 256 codebook, trained by residual
 * k-means, the method that wins on this report (the RQ-VAE's figures are in the module README). Here, not in
 * codebook-training, because the world is ingest's and only platform links both.
 */
class CodebookQualityTest {

    @Test
    void balancedResidualKMeansMeetsTheQualityTargetOnTheWorldsCatalog() {
        float[][] catalog = WorldCatalog.embeddings(WorldConfig.defaults(), 50_000);
        KMeansOptions options = new KMeansOptions(3, 256, 6, 42, true, 1.5);

        CodebookTrainer.Trained trained = new CodebookTrainer(options, 256)
                .train("q-test", WorldCatalog.embeddingModel(WorldConfig.defaults()), catalog);
        QualityReport quality = trained.quality();
        System.out.println(quality);

        assertThat(quality.items()).isEqualTo(50_000);
        assertThat(quality.collisionShare()).isLessThan(0.05);
        assertThat(quality.codeUtilisation())
                .hasSize(3)
                .allSatisfy(u -> assertThat(u).isGreaterThanOrEqualTo(0.90));
        assertThat(quality.prefixFull()).isZero();
        assertThat(quality.reconstructionError()).isGreaterThan(0).isLessThan(1.0);
    }
}
