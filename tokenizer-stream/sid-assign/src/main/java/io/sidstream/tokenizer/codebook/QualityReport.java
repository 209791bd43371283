package io.sidstream.tokenizer.codebook;

import io.sidstream.schemas.CodebookQuality;
import io.sidstream.tokenizer.sid.CollisionTokens;
import io.sidstream.tokenizer.sid.ResidualQuantizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How well a codebook fits a catalog, measured the way the job will assign SIDs (nearest code per level, collision
 * tokens in catalog order): code utilisation per level, the share of items whose collision token is above 0, the
 * largest group sharing one prefix, items whose prefix was full, and the mean squared reconstruction error (in the
 * embedding space, also for an RQ-VAE codebook: through its decoder).
 */
public record QualityReport(
        long items,
        List<Double> codeUtilisation,
        double collisionShare,
        long largestPrefixGroup,
        long prefixFull,
        long distinctPrefixes,
        double reconstructionError) {

    public static QualityReport evaluate(Codebook codebook, float[][] catalog) {
        ResidualQuantizer q = codebook.quantizer();
        boolean[][] used = new boolean[q.levels()][q.codesPerLevel()];
        CollisionTokens tokens = new CollisionTokens();
        Codebook.Scratch scratch = new Codebook.Scratch(codebook);
        int[] prefix = new int[q.levels()];
        long collided = 0;
        long full = 0;
        double error = 0;
        for (float[] embedding : catalog) {
            error += codebook.quantize(embedding, prefix, scratch);
            for (int l = 0; l < prefix.length; l++) {
                used[l][prefix[l]] = true;
            }
            int token = tokens.next(prefix);
            if (token > 0) {
                collided++;
            }
            if (token >= codebook.maxCollisionTokens()) {
                full++;
            }
        }
        List<Double> utilisation = new ArrayList<>();
        for (boolean[] level : used) {
            int count = 0;
            for (boolean u : level) {
                count += u ? 1 : 0;
            }
            utilisation.add(count / (double) level.length);
        }
        int n = catalog.length;
        return new QualityReport(
                n,
                List.copyOf(utilisation),
                n == 0 ? 0 : collided / (double) n,
                tokens.largestGroup(),
                full,
                tokens.distinctPrefixes(),
                n == 0 ? 0 : error / n);
    }

    public double minCodeUtilisation() {
        return codeUtilisation.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    public CodebookQuality toAvro() {
        return CodebookQuality.newBuilder()
                .setItems(items)
                .setCodeUtilisation(codeUtilisation)
                .setCollisionShare(collisionShare)
                .setLargestPrefixGroup(largestPrefixGroup)
                .setReconstructionError(reconstructionError)
                .build();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "items                    %d%n", items));
        for (int l = 0; l < codeUtilisation.size(); l++) {
            b.append(String.format(Locale.ROOT, "code utilisation L%d      %.1f%%%n", l, 100 * codeUtilisation.get(l)));
        }
        b.append(String.format(Locale.ROOT, "collision token > 0      %.2f%%%n", 100 * collisionShare));
        b.append(String.format(Locale.ROOT, "largest prefix group     %d%n", largestPrefixGroup));
        b.append(String.format(Locale.ROOT, "prefix full (DLQ)        %d%n", prefixFull));
        b.append(String.format(Locale.ROOT, "distinct prefixes        %d%n", distinctPrefixes));
        b.append(String.format(Locale.ROOT, "reconstruction MSE       %.5f%n", reconstructionError));
        return b.toString();
    }
}
