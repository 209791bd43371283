package io.sidstream.model.block;

/**
 * The names of {@link SidRecBlock}'s parameters: how the block registers them, how the parameter file stores them, and
 * how the plain-Java inference path ({@code model.decode}: {@code LastStateEncoder}, {@code CodeHead}) finds them in
 * a model. Renaming one breaks loading every checkpoint written before.
 */
public final class ParameterNames {

    public static final String TOKEN_EMBEDDING = "token_embedding";
    public static final String POSITION_EMBEDDING = "position_embedding";
    public static final String FINAL_LN_GAMMA = "final_ln_gamma";
    public static final String FINAL_LN_BETA = "final_ln_beta";
    /** One row per (horizon, SID step) of the code head. */
    public static final String STEP_EMBEDDING = "step_embedding";

    public static final String HEAD_LN_GAMMA = "head_ln_gamma";
    public static final String HEAD_LN_BETA = "head_ln_beta";
    public static final String HEAD_WEIGHT = "head_w";
    public static final String HEAD_BIAS = "head_b";
    public static final String CLUSTER_PROJECTION = "cluster_proj_w";
    public static final String CLUSTER_WEIGHTS = "cluster_out_w";
    public static final String CLUSTER_BIASES = "cluster_out_b";
    /** The wide part's weights, one per hashed bucket (and the overflow bucket). */
    public static final String WIDE_WEIGHTS = "wide_w";

    /** Suffixes of a transformer layer's parameters, after {@link #layer(int)}. */
    public static final String LN1_GAMMA = "ln1_gamma";

    public static final String LN1_BETA = "ln1_beta";
    public static final String QKV_WEIGHT = "qkv_w";
    public static final String QKV_BIAS = "qkv_b";
    public static final String ATTENTION_OUT_WEIGHT = "attn_out_w";
    public static final String ATTENTION_OUT_BIAS = "attn_out_b";
    public static final String LN2_GAMMA = "ln2_gamma";
    public static final String LN2_BETA = "ln2_beta";
    public static final String FFN_WEIGHT_1 = "ffn_w1";
    public static final String FFN_BIAS_1 = "ffn_b1";
    public static final String FFN_WEIGHT_2 = "ffn_w2";
    public static final String FFN_BIAS_2 = "ffn_b2";

    private ParameterNames() {}

    /** The prefix of layer {@code index}'s parameters: {@code layer0_}, ... */
    public static String layer(int index) {
        return "layer" + index + "_";
    }

    /** The output projection of SID step {@code step}. */
    public static String outWeight(int step) {
        return "out_w_" + step;
    }

    /** The output bias of SID step {@code step}. */
    public static String outBias(int step) {
        return "out_b_" + step;
    }
}
