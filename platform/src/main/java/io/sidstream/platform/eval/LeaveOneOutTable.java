package io.sidstream.platform.eval;

import ai.djl.Device;
import io.sidstream.core.bench.BenchReport;
import io.sidstream.trainer.eval.OfflineEvaluator;
import io.sidstream.trainer.eval.RankingMetrics;
import java.io.PrintStream;
import java.util.Locale;

/**
 * How a leave-one-out run is shown: a table of the model and the baselines on both targets, and the figures of
 * {@code ../shared/BENCHMARKS.md} (test figures for the model and the baselines, the validation figure that chose the
 * model, the split's sizes and the training budget actually spent).
 */
final class LeaveOneOutTable {

    private LeaveOneOutTable() {}

    static void print(OfflineEvaluator.Report r, PrintStream out) {
        out.printf(Locale.ROOT, "%-14s %-10s %8s %8s %8s %8s%n", "ranker", "target", "R@5", "R@10", "N@5", "N@10");
        row(out, "model", "validation", r.validationModel());
        row(out, "popularity", "validation", r.validationPopularity());
        row(out, "co-occurrence", "validation", r.validationCooccurrence());
        row(out, "model", "test", r.model());
        row(out, "popularity", "test", r.popularity());
        row(out, "co-occurrence", "test", r.cooccurrence());
        for (OfflineEvaluator.BeamFigures beam : r.otherBeams()) {
            row(out, "model beam " + beam.beam(), "validation", beam.validation());
            row(out, "model beam " + beam.beam(), "test", beam.test());
        }
    }

    private static void row(PrintStream out, String name, String target, RankingMetrics m) {
        out.printf(
                Locale.ROOT,
                "%-14s %-10s %8.4f %8.4f %8.4f %8.4f%n",
                name,
                target,
                m.recallAt5(),
                m.recallAt10(),
                m.ndcgAt5(),
                m.ndcgAt10());
    }

    static BenchReport report(String name, OfflineEvaluator.Report r, int beam, Device device) {
        OfflineEvaluator.SplitSizes split = r.split();
        BenchReport report = new BenchReport(name)
                .setting("device", device)
                .setting("beam", beam)
                .setting("training steps", r.training().steps())
                .setting(
                        "training seconds",
                        String.format(Locale.ROOT, "%.1f", r.training().seconds()))
                .setting("epochs (best)", r.epochs().size() + " (" + r.bestEpoch() + ")")
                .setting("evaluation seconds", String.format(Locale.ROOT, "%.1f", r.evaluationSeconds()));
        metrics(report, "", r.model());
        metrics(report, "popularity_", r.popularity());
        metrics(report, "cooccurrence_", r.cooccurrence());
        return report.figure("validation_recall_at_10", r.validationModel().recallAt10())
                .figure("validation_ndcg_at_10", r.validationModel().ndcgAt10())
                .figure(
                        "cooccurrence_validation_recall_at_10",
                        r.validationCooccurrence().recallAt10())
                .figure("users", r.users())
                .figure("items", r.items())
                .figure("train_sequences", split.trainingSequences())
                .figure("train_interactions", split.trainingInteractions())
                .figure("validation_cases", split.validationCases())
                .figure("test_cases", split.testCases())
                .figure("training_steps", r.training().steps())
                .figure("training_seconds", r.training().seconds())
                .figure("epochs", r.epochs().size())
                .figure("best_epoch", r.bestEpoch())
                .figure("tokens_per_s", r.training().tokensPerSecond());
    }

    private static void metrics(BenchReport report, String prefix, RankingMetrics m) {
        report.figure(prefix + "recall_at_5", m.recallAt5())
                .figure(prefix + "recall_at_10", m.recallAt10())
                .figure(prefix + "ndcg_at_5", m.ndcgAt5())
                .figure(prefix + "ndcg_at_10", m.ndcgAt10());
    }
}
