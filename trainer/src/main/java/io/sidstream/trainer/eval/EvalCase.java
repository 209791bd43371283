package io.sidstream.trainer.eval;

import java.util.List;

/** One ranking question: given this history (oldest first), is {@code target} among the top K? */
public record EvalCase(String userId, List<Interaction> history, Interaction target) {}
