package io.sidstream.tokenizer.codebook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sidstream.tokenizer.catalog.SyntheticCatalog;
import io.sidstream.tokenizer.sid.ResidualQuantizer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The RQ-VAE on a small catalog shaped like the synthetic world's (48-d embeddings, 32 topics x 8 sub-topics, 4,000
 * videos, 3 x 16 codes; the world itself is ingest's, which this module does not link): it learns, uses
 * its codes, is deterministic, and its codebook encodes before quantizing. The full-size comparison with residual
 * k-means is in the module README ({@code codebook train --world 50000 --method rqvae}).
 */
class RqVaeTest {

    private static final float[][] CATALOG = new SyntheticCatalog(48, 32, 8, 0.6, 0.35, 42).embeddings(4_000);
    private static final RqVaeOptions OPTIONS = new RqVaeOptions(3, 16, 12, 64, 8, 256, 0.003, 0.25, 0.95, 5);

    private static RqVae.Trained trained;

    @BeforeAll
    static void train() {
        trained = new RqVae(OPTIONS).train(CATALOG);
    }

    @Test
    void reconstructionFallsAsItTrains() {
        List<RqVae.Epoch> history = trained.history();
        assertThat(history).hasSize(OPTIONS.epochs() + 1);
        assertThat(history.get(0).quantized()).isFalse();
        RqVae.Epoch first = history.get(1);
        RqVae.Epoch last = history.get(history.size() - 1);
        assertThat(last.reconstruction()).isLessThan(first.reconstruction() * 0.8);
        // a unit vector reconstructed as zero costs 1.0; the model does far better
        assertThat(last.reconstruction()).isLessThan(0.5);
        assertThat(history).allSatisfy(e -> assertThat(e.reconstruction()).isFinite());
    }

    @Test
    void everyLevelUsesMostOfItsCodes() {
        Codebook codebook = new Codebook("rq", "m", 64, Instant.EPOCH, trained.quantizer(), trained.autoencoder());
        QualityReport quality = QualityReport.evaluate(codebook, CATALOG);

        assertThat(quality.codeUtilisation())
                .hasSize(3)
                .allSatisfy(u -> assertThat(u).isGreaterThanOrEqualTo(0.9));
        assertThat(quality.reconstructionError()).isLessThan(0.5);
    }

    @Test
    void trainingIsDeterministicForASeed() {
        RqVae.Trained again = new RqVae(OPTIONS).train(CATALOG);

        for (int l = 0; l < 3; l++) {
            assertThat(again.quantizer().centroids(l))
                    .containsExactly(trained.quantizer().centroids(l));
        }
        assertThat(again.autoencoder().encoder().layers().get(0).weights())
                .containsExactly(trained.autoencoder().encoder().layers().get(0).weights());
        assertThat(again.history()).isEqualTo(trained.history());
    }

    @Test
    void theCodebookEncodesBeforeQuantizing() {
        Codebook codebook = new Codebook("rq", "m", 64, Instant.EPOCH, trained.quantizer(), trained.autoencoder());
        ResidualQuantizer latentQuantizer = trained.quantizer();

        assertThat(codebook.dim()).isEqualTo(48);
        assertThat(latentQuantizer.dim()).isEqualTo(12);
        for (int i = 0; i < 50; i++) {
            float[] latent = trained.autoencoder().encoder().apply(CATALOG[i]);
            assertThat(codebook.prefix(CATALOG[i])).containsExactly(latentQuantizer.quantize(latent));
        }
        assertThatThrownBy(() -> codebook.prefix(new float[12])).hasMessageContaining("48");
    }

    @Test
    void needsAtLeastABatchOfItems() {
        assertThatThrownBy(() -> new RqVae(OPTIONS).train(new float[100][48])).hasMessageContaining("at least a batch");
    }
}
