package io.sidstream.model.block;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.sidstream.model.config.ModelConfig;
import io.sidstream.model.config.TokenLayout;
import io.sidstream.model.decode.SidTrie;
import io.sidstream.schemas.HistoryItem;
import io.sidstream.schemas.RequestContext;
import io.sidstream.schemas.TrainingExample;
import java.util.List;

/**
 * Turns examples into the model's arrays. A sequence is {@code [context, h1 .. hn]}, left-padded to the batch's longest
 * sequence (at most {@code max-history + 1} positions) so the latest item always sits at the last position: on real
 * data most histories are far shorter than the model's reach, and padding every batch to it would spend most of the
 * compute on padding. Every history position is trained to predict the item after it ({@code h_n} predicts the
 * target), and with multi-token prediction also the items further ahead.
 */
public final class BatchEncoder {

    /** Added to the logit of a padding slot of a row's candidates: out of the softmax. */
    public static final float NOT_A_CANDIDATE = -1e9f;

    private final ModelConfig config;
    private final TokenLayout layout;

    public BatchEncoder(ModelConfig config) {
        this.config = config;
        this.layout = new TokenLayout(config);
    }

    public ModelConfig config() {
        return config;
    }

    /** Inputs and targets of a training batch, for a model that does not need the catalogue. */
    public Encoded encodeTraining(List<TrainingExample> examples) {
        return encodeTraining(examples, null);
    }

    /**
     * Inputs and targets of a training batch. The next-item targets also come as rows (the positions that have one,
     * with their codes), so the head runs on real positions only; with {@code catalog-softmax} each row and step
     * carries which codes continue a SID of {@code catalog} and, with a wide part, the hashed features of those codes.
     */
    public Encoded encodeTraining(List<TrainingExample> examples, SidTrie catalog) {
        return encodeTraining(examples, catalog, null);
    }

    /**
     * The same with the transition prior's logits of every candidate (from {@code prior}'s counts, each row's own
     * transition taken out); {@code prior} is required when the model has one.
     */
    public Encoded encodeTraining(List<TrainingExample> examples, SidTrie catalog, TransitionPrior prior) {
        if (config.transitionPrior() && prior == null) {
            throw new IllegalArgumentException("a model with a transition prior trains with its count table");
        }
        if (config.needsCatalog() && catalog == null) {
            throw new IllegalArgumentException("a model with catalog-softmax trains with the catalogue's SID trie");
        }
        int b = examples.size();
        int longest = 0;
        for (TrainingExample example : examples) {
            longest = Math.max(longest, readLength(example.getHistory()));
        }
        int t = longest + 1;
        int s = layout.slots();
        int horizon = config.mtpHorizon();
        int sidLength = config.sidLength();
        Encoded out = new Encoded(b, t, s, horizon, sidLength);
        for (int e = 0; e < b; e++) {
            TrainingExample example = examples.get(e);
            List<HistoryItem> history = recent(example.getHistory());
            int n = history.size();
            int first = t - 1 - n; // position of the context
            writeInputs(out, e, example.getContext(), history);
            // sequence element j: 0 = context, 1..n = history, n+1 = target
            for (int j = 0; j <= n; j++) {
                if (j == 0 && n > 0) {
                    continue; // the context belongs to the target's request, not to the first history item
                }
                int position = first + j;
                for (int h = 0; h < horizon; h++) {
                    int next = j + 1 + h;
                    if (next > n + 1) {
                        break;
                    }
                    List<Integer> sid = next == n + 1
                            ? example.getTargetSid()
                            : history.get(next - 1).getSid();
                    int base = ((e * horizon + h) * t + position) * sidLength;
                    checkSid(sid);
                    for (int step = 0; step < sidLength; step++) {
                        out.targets[base + step] = sid.get(step);
                    }
                    out.weights[(e * horizon + h) * t + position] = 1f;
                }
            }
            out.positions += n + 1;
        }
        rows(out, examples, catalog, prior);
        return out;
    }

    /** The next-item rows of a batch whose targets are written: indices, codes, and each step's candidates. */
    private void rows(Encoded out, List<TrainingExample> examples, SidTrie catalog, TransitionPrior prior) {
        int t = out.length;
        int h = out.horizon;
        int sidLength = config.sidLength();
        int rows = 0;
        for (int e = 0; e < out.batch; e++) {
            for (int p = 0; p < t; p++) {
                rows += out.weights[(e * h) * t + p] > 0 ? 1 : 0;
            }
        }
        out.rowIndex = new int[rows];
        out.rowCodes = new int[rows * sidLength];
        int wideItems = config.wideBuckets() > 0 ? config.wideItems() : 0;
        // per row and step: the candidate codes, and the keys of the row's recent videos for the wide part
        int[][][] candidates = config.catalogSoftmax() ? new int[sidLength][rows][] : null;
        int[][][] leaves = prior != null ? new int[sidLength][rows][] : null;
        long[][] recent = wideItems > 0 ? new long[rows][] : null;
        long[][] sources = prior != null ? new long[rows][] : null;
        int row = 0;
        for (int e = 0; e < out.batch; e++) {
            List<HistoryItem> history = recent(examples.get(e).getHistory());
            int n = history.size();
            int first = t - 1 - n;
            for (int p = 0; p < t; p++) {
                int flat = (e * h) * t + p;
                if (out.weights[flat] == 0) {
                    continue;
                }
                out.rowIndex[row] = e * t + p;
                System.arraycopy(out.targets, flat * sidLength, out.rowCodes, row * sidLength, sidLength);
                if (candidates != null) {
                    candidatesAlong(catalog, out.rowCodes, row, candidates, leaves);
                }
                if (recent != null) {
                    // position first + j holds history item j - 1; the row predicts what follows item p - first - 1
                    int latest = p - first - 1;
                    int known = Math.max(0, Math.min(wideItems, latest + 1));
                    recent[row] = new long[known];
                    for (int m = 0; m < known; m++) {
                        recent[row][m] =
                                WideFeatures.itemKey(m, history.get(latest - m).getVideoId());
                    }
                }
                if (sources != null) {
                    int latest = p - first - 1;
                    int known = Math.max(0, Math.min(config.wideItems(), latest + 1));
                    sources[row] = new long[known];
                    for (int m = 0; m < known; m++) {
                        sources[row][m] = TransitionPrior.sourceKey(
                                history.get(latest - m).getVideoId());
                    }
                }
                row++;
            }
        }
        if (candidates != null) {
            out.steps = new StepCandidates[sidLength];
            for (int step = 0; step < sidLength; step++) {
                out.steps[step] = StepCandidates.of(
                        config,
                        step,
                        out.rowCodes,
                        candidates[step],
                        recent,
                        prior,
                        sources,
                        leaves == null ? null : leaves[step]);
            }
        }
    }

    /**
     * Each step's candidate codes along the target's path in the catalogue: the children of the node its codes so far
     * reach. Where the path leaves the trie (a target removed since), every code of the step is a candidate.
     */
    private void candidatesAlong(SidTrie catalog, int[] rowCodes, int row, int[][][] candidates, int[][][] leaves) {
        int sidLength = config.sidLength();
        SidTrie.Node node = catalog.root();
        for (int step = 0; step < sidLength; step++) {
            int code = rowCodes[row * sidLength + step];
            SidTrie.Children children = node == null ? null : node.children();
            boolean onPath = children != null && java.util.Arrays.binarySearch(children.codes(), code) >= 0;
            candidates[step][row] = onPath ? children.codes() : allCodes(step);
            if (leaves != null) {
                // the videos below each candidate, for the transition prior (1 each off the catalogue's paths)
                int[] below = new int[candidates[step][row].length];
                for (int k = 0; k < below.length; k++) {
                    below[k] = onPath && children.nodes()[k] != null ? children.nodes()[k].leaves() : 1;
                }
                leaves[step][row] = below;
            }
            node = onPath ? node.child(code) : null;
        }
    }

    private int[] allCodes(int step) {
        int[] all = new int[config.stepVocabulary(step)];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return all;
    }

    /**
     * One step's softmax in candidate space, for a batch's rows: the candidates' codes (padded to the most candidates
     * of any row, padding marked out by {@link #NOT_A_CANDIDATE}), where the target is among them, and (from the
     * second step on, with a wide part) the weight rows of each candidate per recent video ({@code W} of them; the
     * last table row where a row has fewer).
     */
    static final class StepCandidates {
        final int width;
        final int[] codes;
        final float[] mask;
        final int[] target;
        final int[] wide;
        final int wideItems;
        /** The transition prior's logits {@code (rows, K)}, or null without one. */
        float[] prior;

        private StepCandidates(int width, int[] codes, float[] mask, int[] target, int[] wide, int wideItems) {
            this.width = width;
            this.codes = codes;
            this.mask = mask;
            this.target = target;
            this.wide = wide;
            this.wideItems = wideItems;
        }

        static StepCandidates of(
                ModelConfig config,
                int step,
                int[] rowCodes,
                int[][] perRow,
                long[][] recent,
                TransitionPrior transitions,
                long[][] sources,
                int[][] leaves) {
            int rows = perRow.length;
            int sidLength = config.sidLength();
            int width = 1;
            for (int[] c : perRow) {
                width = Math.max(width, c.length);
            }
            int[] codes = new int[rows * width];
            float[] mask = new float[rows * width];
            int[] target = new int[rows];
            boolean withWide = recent != null && step >= WideFeatures.FROM_STEP;
            int items = withWide ? config.wideItems() : 0;
            int[] wide = withWide ? new int[rows * items * width] : null;
            if (wide != null) {
                java.util.Arrays.fill(wide, config.wideBuckets());
            }
            for (int r = 0; r < rows; r++) {
                int[] c = perRow[r];
                int code = rowCodes[r * sidLength + step];
                for (int k = 0; k < width; k++) {
                    codes[r * width + k] = k < c.length ? c[k] : c[0];
                    mask[r * width + k] = k < c.length ? 0f : NOT_A_CANDIDATE;
                }
                target[r] = java.util.Arrays.binarySearch(c, code);
                if (target[r] < 0) {
                    throw new IllegalStateException("target code " + code + " at step " + step + " is not a candidate");
                }
                if (wide != null) {
                    for (int m = 0; m < recent[r].length; m++) {
                        long node = WideFeatures.nodeKey(recent[r][m], step, rowCodes, r * sidLength);
                        for (int k = 0; k < c.length; k++) {
                            wide[(r * items + m) * width + k] = WideFeatures.bucket(node, c[k], config.wideBuckets());
                        }
                    }
                }
            }
            StepCandidates out = new StepCandidates(width, codes, mask, target, wide, items);
            if (transitions != null) {
                out.prior = new float[rows * width];
                for (int r = 0; r < rows; r++) {
                    transitions.features(
                            sources[r],
                            step,
                            rowCodes,
                            r * sidLength,
                            perRow[r],
                            leaves[r],
                            target[r],
                            out.prior,
                            r * width);
                }
            }
            return out;
        }
    }

    /** Inputs only, for decoding: the next item after each (context, history) query. */
    public Encoded encodeQueries(List<RequestContext> contexts, List<List<HistoryItem>> histories) {
        int b = contexts.size();
        int longest = 0;
        for (List<HistoryItem> history : histories) {
            longest = Math.max(longest, readLength(history));
        }
        Encoded out = new Encoded(b, longest + 1, layout.slots(), 0, config.sidLength());
        for (int e = 0; e < b; e++) {
            List<HistoryItem> history = recent(histories.get(e));
            writeInputs(out, e, contexts.get(e), history);
            out.positions += history.size() + 1;
        }
        return out;
    }

    private void writeInputs(Encoded out, int e, RequestContext context, List<HistoryItem> history) {
        int t = out.length;
        int s = out.slots;
        int n = history.size();
        int first = t - 1 - n;
        int base = (e * t + first) * s;
        out.tokens[base] = TokenLayout.CONTEXT;
        out.tokens[base + 1] = layout.surfaceToken(context.getSurface());
        out.tokens[base + 2] = layout.deviceToken(context.getDevice());
        out.tokens[base + 3] = layout.countryToken(context.getCountry());
        out.tokens[base + 4] = layout.hourToken(context.getHourOfDay());
        out.keyMask[e * t + first] = 1f;
        for (int i = 0; i < n; i++) {
            HistoryItem item = history.get(i);
            List<Integer> sid = item.getSid();
            checkSid(sid);
            int p = (e * t + first + 1 + i) * s;
            for (int step = 0; step < config.sidLength(); step++) {
                out.tokens[p + step] = layout.sidToken(step, sid.get(step));
            }
            int f = p + config.sidLength();
            out.tokens[f] = layout.eventToken(item.getEventType());
            out.tokens[f + 1] = layout.watchToken(item.getWatchBucket());
            out.tokens[f + 2] = layout.surfaceToken(item.getSurface());
            out.tokens[f + 3] = layout.deviceToken(item.getDevice());
            out.tokens[f + 4] = layout.gapToken(item.getTimeGapBucket());
            if (layout.hasItemTokens()) {
                out.tokens[f + 5] = layout.itemToken(item.getVideoId());
            }
            out.keyMask[e * t + first + 1 + i] = 1f;
        }
    }

    /** History items the model reads of {@code history} (the most recent {@code max-history}). */
    public int readLength(List<HistoryItem> history) {
        return Math.min(history.size(), config.maxHistory());
    }

    private List<HistoryItem> recent(List<HistoryItem> history) {
        int n = history.size();
        return n <= config.maxHistory() ? history : history.subList(n - config.maxHistory(), n);
    }

    private void checkSid(List<Integer> sid) {
        if (sid.size() != config.sidLength()) {
            throw new IllegalArgumentException("SID " + sid + " has " + sid.size() + " codes, the model expects "
                    + config.sidLength() + " (" + config.levels() + " levels and a collision token)");
        }
        for (int step = 0; step < sid.size(); step++) {
            int code = sid.get(step);
            if (code < 0 || code >= config.stepVocabulary(step)) {
                throw new IllegalArgumentException("SID " + sid + ": code " + code + " at step " + step
                        + " is outside [0, " + config.stepVocabulary(step) + ")");
            }
        }
    }

    /** Whether the model can read this example (SID lengths and code ranges fit its config). */
    public boolean fits(TrainingExample example) {
        try {
            checkSid(example.getTargetSid());
            for (HistoryItem item : example.getHistory()) {
                checkSid(item.getSid());
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A batch as flat Java arrays; {@link #toTraining} and {@link #toQuery} put it on a manager's device. */
    public static final class Encoded {
        final int batch;
        final int length;
        final int slots;
        final int horizon;
        final int sidLength;
        final int[] tokens;
        final float[] keyMask;
        final int[] targets;
        final float[] weights;
        int positions;
        /** Next-item rows: flat positions {@code b * length + t}, their codes, and each step's candidates. */
        int[] rowIndex;

        int[] rowCodes;
        StepCandidates[] steps;

        Encoded(int batch, int length, int slots, int horizon, int sidLength) {
            this.batch = batch;
            this.length = length;
            this.slots = slots;
            this.horizon = horizon;
            this.sidLength = sidLength;
            this.tokens = new int[batch * length * slots];
            this.keyMask = new float[batch * length];
            this.targets = new int[batch * horizon * length * sidLength];
            this.weights = new float[batch * horizon * length];
        }

        public int batch() {
            return batch;
        }

        /**
         * Positions per sequence (left-padded to the batch's longest): they are the last {@code length} of the model's
         * {@code max-history + 1} positions.
         */
        public int length() {
            return length;
        }

        /** Tokens per position. */
        public int slots() {
            return slots;
        }

        /** Token ids {@code (batch, length, slots)} row-major; the array itself, not a copy. */
        public int[] tokens() {
            return tokens;
        }

        /** 1 for a real position, 0 for padding, {@code (batch, length)} row-major; the array itself. */
        public float[] keyMask() {
            return keyMask;
        }

        /** Real (non-padding) positions the transformer processes: the benchmark's tokens. */
        public int positions() {
            return positions;
        }

        public NDList toTraining(NDManager manager) {
            NDList query = toQuery(manager);
            NDArray targetArray = manager.create(targets, new Shape(batch, horizon, length, sidLength));
            NDArray weightArray = manager.create(weights, new Shape(batch, horizon, length));
            query.add(targetArray);
            query.add(weightArray);
            int rows = rowIndex.length;
            query.add(manager.create(rowIndex, new Shape(rows)));
            query.add(manager.create(rowCodes, new Shape(rows, sidLength)));
            if (steps != null) {
                // per step: candidate codes (rows, K), their mask (rows, K), the target's slot (rows), and from
                // WideFeatures.FROM_STEP on with a wide part, the weight rows (rows, W, K)
                for (StepCandidates step : steps) {
                    query.add(manager.create(step.codes, new Shape(rows, step.width)));
                    query.add(manager.create(step.mask, new Shape(rows, step.width)));
                    query.add(manager.create(step.target, new Shape(rows)));
                    if (step.wide != null) {
                        query.add(manager.create(step.wide, new Shape(rows, step.wideItems, step.width)));
                    }
                    if (step.prior != null) {
                        query.add(manager.create(step.prior, new Shape(rows, step.width)));
                    }
                }
            }
            return query;
        }

        /** Rows with a next-item target. */
        public int rows() {
            return rowIndex.length;
        }

        public NDList toQuery(NDManager manager) {
            return new NDList(
                    manager.create(tokens, new Shape(batch, length, slots)),
                    manager.create(keyMask, new Shape(batch, length)));
        }
    }
}
