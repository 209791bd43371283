package io.sidstream.tokenizer.codebook;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.tokenizer.bench.SyntheticCatalog;
import org.junit.jupiter.api.Test;

/** The quality target on a 50,000-video clustered catalog with the default 3 x 256 codebook. */
class CodebookQualityTest {

    @Test
    void balancedResidualKMeansMeetsTheQualityTargetAt50kVideos() {
        float[][] catalog = SyntheticCatalog.standard(7).embeddings(50_000);
        KMeansOptions options = new KMeansOptions(3, 256, 6, 42, true, 1.5);

        CodebookTrainer.Trained trained = new CodebookTrainer(options, 256).train("q-test", "synthetic", catalog);
        QualityReport quality = trained.quality();
        System.out.println(quality);

        assertThat(quality.items()).isEqualTo(50_000);
        assertThat(quality.collisionShare()).isLessThan(0.05);
        assertThat(quality.codeUtilisation()).hasSize(3).allSatisfy(u -> assertThat(u).isGreaterThanOrEqualTo(0.90));
        assertThat(quality.prefixFull()).isZero();
        assertThat(quality.reconstructionError()).isGreaterThan(0).isLessThan(1.0);
    }
}
