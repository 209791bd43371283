package io.sidstream.model.config;

import com.typesafe.config.Config;

/**
 * The shape of the SID model: the SID space it decodes into (levels x codes per level, plus collision tokens) and the
 * transformer's sizes. Saved with every checkpoint, so a checkpoint is loaded into exactly the model it came from.
 *
 * @param levels           quantizer levels of a SID prefix
 * @param codesPerLevel    codes per level
 * @param collisions       collision tokens (the 4th SID code is below this)
 * @param dModel           width of the transformer
 * @param layers           transformer layers
 * @param heads            attention heads (divides dModel)
 * @param ffnDim           width of the feed-forward layers
 * @param maxHistory       history items the model reads (older ones are dropped)
 * @param countryBuckets   countries are hashed into this many buckets
 * @param watchBuckets     watch-fraction buckets (larger values are clamped)
 * @param timeGapBuckets   time-gap buckets (larger values are clamped)
 * @param mtpHorizon       items predicted per position: 1 is next-item only, 2+ adds multi-token prediction heads
 * @param mtpWeight        loss weight of each extra multi-token head
 * @param itemBuckets      rows of the hashed item-id embedding added to every history item's codes (0: none, the item
 *                         is only its SID). Memorises what a video's own engagement says beyond its content; a video
 *                         never trained on shares its row with others by chance, so its SID still carries it.
 * @param headDim          hidden width of the code head (0: {@code dModel})
 * @param dropout          dropout rate in training (inputs, attention and feed-forward outputs); 0 turns it off
 * @param clusterHeadDim   width of the cluster head (0: none): the second code's logits also get an output layer of
 *                         their own per first code, so the codes under a cluster (mostly single videos) have output
 *                         vectors of their own
 * @param catalogSoftmax   every code's softmax is over the codes that continue some SID of the catalogue, in training
 *                         and in decoding (otherwise over all codes of the step, and decoding over one trie takes the
 *                         joint probability as it is)
 * @param wideBuckets      weights of the wide part (0: none; needs {@code catalogSoftmax}): hashed crosses of the
 *                         {@code wideItems} most recent history videos with the candidate's SID node
 *                         ({@link WideFeatures})
 * @param wideItems        most recent history videos crossed with the candidates, and the transition prior reads
 * @param transitionPrior  the transition prior (needs {@code catalogSoftmax}): how often each SID node followed each
 *                         video within {@code transitionWindow} steps in the training data, as a prior over every
 *                         step's candidates ({@link TransitionPrior})
 * @param transitionWeight the prior's weight: each candidate's logit gets {@code log(leaves + weight x its
 *                         co-occurrence score)}
 * @param transitionWindow the longest distance of a counted pair (0: {@code wideItems})
 * @param transitionDistanceDecay a pair {@code d} steps apart counts {@code 1/d^decay}
 * @param transitionRecencyDecay  the counts under the {@code m}-th most recent video are weighted
 *                                {@code 1/(m+1)^decay}
 */
public record ModelConfig(
        int levels,
        int codesPerLevel,
        int collisions,
        int dModel,
        int layers,
        int heads,
        int ffnDim,
        int maxHistory,
        int countryBuckets,
        int watchBuckets,
        int timeGapBuckets,
        int mtpHorizon,
        double mtpWeight,
        int itemBuckets,
        int headDim,
        double dropout,
        int clusterHeadDim,
        boolean catalogSoftmax,
        int wideBuckets,
        int wideItems,
        boolean transitionPrior,
        double transitionWeight,
        int transitionWindow,
        double transitionDistanceDecay,
        double transitionRecencyDecay) {

    /** A model without a transition prior. */
    public ModelConfig(
            int levels,
            int codesPerLevel,
            int collisions,
            int dModel,
            int layers,
            int heads,
            int ffnDim,
            int maxHistory,
            int countryBuckets,
            int watchBuckets,
            int timeGapBuckets,
            int mtpHorizon,
            double mtpWeight,
            int itemBuckets,
            int headDim,
            double dropout,
            int clusterHeadDim,
            boolean catalogSoftmax,
            int wideBuckets,
            int wideItems) {
        this(
                levels,
                codesPerLevel,
                collisions,
                dModel,
                layers,
                heads,
                ffnDim,
                maxHistory,
                countryBuckets,
                watchBuckets,
                timeGapBuckets,
                mtpHorizon,
                mtpWeight,
                itemBuckets,
                headDim,
                dropout,
                clusterHeadDim,
                catalogSoftmax,
                wideBuckets,
                wideItems,
                false,
                0.0,
                0,
                1.0,
                1.0);
    }

    public ModelConfig {
        positive("levels", levels);
        positive("codes-per-level", codesPerLevel);
        positive("collisions", collisions);
        positive("d-model", dModel);
        positive("layers", layers);
        positive("heads", heads);
        positive("ffn-dim", ffnDim);
        positive("max-history", maxHistory);
        positive("country-buckets", countryBuckets);
        positive("watch-buckets", watchBuckets);
        positive("time-gap-buckets", timeGapBuckets);
        positive("mtp-horizon", mtpHorizon);
        if (dModel % heads != 0) {
            throw new IllegalArgumentException(
                    "trainer.model.d-model (" + dModel + ") must be a multiple of heads (" + heads + ")");
        }
        if (clusterHeadDim < 0 || clusterHeadDim > 0 && levels < 2) {
            throw new IllegalArgumentException(
                    "trainer.model.cluster-head-dim must be >= 0, and needs 2 or more levels; got " + clusterHeadDim
                            + " with " + levels + " levels");
        }
        if (wideBuckets < 0 || wideItems < 0 || wideBuckets > 0 && (wideItems == 0 || !catalogSoftmax)) {
            throw new IllegalArgumentException(
                    "trainer.model.wide-buckets needs wide-items > 0 and catalog-softmax on; got " + wideBuckets + ", "
                            + wideItems + ", " + catalogSoftmax);
        }
        if (transitionPrior && (wideItems == 0 || !catalogSoftmax)) {
            throw new IllegalArgumentException(
                    "trainer.model.transition-prior needs wide-items > 0 and catalog-softmax on;" + " got " + wideItems
                            + ", " + catalogSoftmax);
        }
        if (!(transitionWeight >= 0)) {
            throw new IllegalArgumentException("trainer.model.transition-weight must be >= 0, got " + transitionWeight);
        }
        if (transitionWindow < 0 || !(transitionDistanceDecay >= 0) || !(transitionRecencyDecay >= 0)) {
            throw new IllegalArgumentException("trainer.model.transition-window, transition-distance-decay and"
                    + " transition-recency-decay must be >= 0, got " + transitionWindow + ", " + transitionDistanceDecay
                    + ", " + transitionRecencyDecay);
        }
        if (itemBuckets < 0 || headDim < 0) {
            throw new IllegalArgumentException(
                    "trainer.model.item-buckets and head-dim must be >= 0, got " + itemBuckets + " and " + headDim);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("trainer.model.dropout must be in [0, 1), got " + dropout);
        }
        if (mtpWeight < 0) {
            throw new IllegalArgumentException("trainer.model.mtp-weight must be >= 0, got " + mtpWeight);
        }
    }

    /** Reads {@code trainer.model}. */
    public static ModelConfig from(Config model) {
        return new ModelConfig(
                model.getInt("levels"),
                model.getInt("codes-per-level"),
                model.getInt("collisions"),
                model.getInt("d-model"),
                model.getInt("layers"),
                model.getInt("heads"),
                model.getInt("ffn-dim"),
                model.getInt("max-history"),
                model.getInt("country-buckets"),
                model.getInt("watch-buckets"),
                model.getInt("time-gap-buckets"),
                model.getInt("mtp-horizon"),
                model.getDouble("mtp-weight"),
                model.getInt("item-buckets"),
                model.getInt("head-dim"),
                model.getDouble("dropout"),
                model.getInt("cluster-head-dim"),
                model.getBoolean("catalog-softmax"),
                model.getInt("wide-buckets"),
                model.getInt("wide-items"),
                model.getBoolean("transition-prior"),
                model.getDouble("transition-weight"),
                model.getInt("transition-window"),
                model.getDouble("transition-distance-decay"),
                model.getDouble("transition-recency-decay"));
    }

    /** Whether training and decoding need the catalogue's trie (its softmax is over the codes the trie allows). */
    public boolean needsCatalog() {
        return catalogSoftmax;
    }

    /** Recent history videos the wide part and the transition prior read (0 when neither is on). */
    public int recentItems() {
        return wideBuckets > 0 || transitionPrior ? wideItems : 0;
    }

    /** The longest distance of a pair the transition prior counts. */
    public int transitionPairWindow() {
        return transitionWindow == 0 ? wideItems : transitionWindow;
    }

    /** Hidden width of the code head. */
    public int headWidth() {
        return headDim == 0 ? dModel : headDim;
    }

    /** Positions the transformer reads: the context position, then the history. */
    public int sequenceLength() {
        return maxHistory + 1;
    }

    /** Codes of a full SID: the prefix and the collision token. */
    public int sidLength() {
        return levels + 1;
    }

    /** Output size of decoding step {@code step}: codes per level, or collision tokens at the last step. */
    public int stepVocabulary(int step) {
        return step < levels ? codesPerLevel : collisions;
    }

    public ModelConfig withMtpHorizon(int horizon) {
        return new ModelConfig(
                levels,
                codesPerLevel,
                collisions,
                dModel,
                layers,
                heads,
                ffnDim,
                maxHistory,
                countryBuckets,
                watchBuckets,
                timeGapBuckets,
                horizon,
                mtpWeight,
                itemBuckets,
                headDim,
                dropout,
                clusterHeadDim,
                catalogSoftmax,
                wideBuckets,
                wideItems,
                transitionPrior,
                transitionWeight,
                transitionWindow,
                transitionDistanceDecay,
                transitionRecencyDecay);
    }

    /** The same model over another SID space (levels x codes per level, collision tokens). */
    public ModelConfig withSidSpace(int sidLevels, int codes, int collisionTokens) {
        return new ModelConfig(
                sidLevels,
                codes,
                collisionTokens,
                dModel,
                layers,
                heads,
                ffnDim,
                maxHistory,
                countryBuckets,
                watchBuckets,
                timeGapBuckets,
                mtpHorizon,
                mtpWeight,
                itemBuckets,
                headDim,
                dropout,
                sidLevels >= 2 ? clusterHeadDim : 0,
                catalogSoftmax,
                wideBuckets,
                wideItems,
                transitionPrior,
                transitionWeight,
                transitionWindow,
                transitionDistanceDecay,
                transitionRecencyDecay);
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("trainer.model." + key + " must be > 0, got " + value);
        }
    }
}
