package io.sidstream.trainer.eval;

import java.util.List;

/** Something that ranks items for ranking questions; items the case's history already holds are never returned. */
public interface Ranker {

    String name();

    /** The top {@code k} item ids for every case, best first. */
    List<List<String>> rank(List<EvalCase> cases, int k);
}
