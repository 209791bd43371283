package io.sidstream.platform.embedded;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.model.checkpoint.CheckpointMeta;
import io.sidstream.model.checkpoint.CheckpointStore;
import io.sidstream.platform.status.StatusSources;
import io.sidstream.serving.model.ModelHolder;
import io.sidstream.serving.model.ServingModel;
import io.sidstream.serving.node.ServingService;
import io.sidstream.trainer.control.CycleRequestSender;
import io.sidstream.trainer.cycle.CycleScheduler;
import io.sidstream.trainer.service.TrainerService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/** What the embedded platform's parts tell the status page; a part that is not running leaves its box empty. */
final class EmbeddedStatusSources implements StatusSources {

    /** Cycles shown: the newest ones. */
    private static final int CYCLES = 20;

    private final Optional<ServingService> serving;
    private final Optional<TrainerService> trainer;
    private final Optional<RecentActivity> activity;
    private final SidstreamConfig config;

    EmbeddedStatusSources(
            Optional<ServingService> serving,
            Optional<TrainerService> trainer,
            Optional<RecentActivity> activity,
            SidstreamConfig config) {
        this.serving = serving;
        this.trainer = trainer;
        this.activity = activity;
        this.config = config;
    }

    /** Through the control topic, as any other client would ask, so the page exercises the same path. */
    @Override
    public Optional<String> requestTrainingCycle(String reason) {
        if (trainer.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(CycleRequestSender.send(config, "status page", reason, Clock.systemUTC())
                    .getRequestId());
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not send the cycle request: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending the cycle request", e);
        }
    }

    @Override
    public boolean cycleEndedSince(long requestedAtMillis) {
        return trainer.map(t -> {
                    java.time.Instant ended = t.status().lastEnded();
                    return ended != null && ended.toEpochMilli() > requestedAtMillis;
                })
                .orElse(true);
    }

    @Override
    public Map<String, Object> trainer() {
        Map<String, Object> state = new LinkedHashMap<>();
        trainer.ifPresent(t -> {
            CycleScheduler.Status status = t.status();
            state.put("state", status.runningSince() == null ? "idle" : "training since " + status.runningSince());
            if (status.consecutiveFailures() > 0) {
                state.put("failures in a row", status.consecutiveFailures());
                state.put("last failure", status.lastFailure());
                if (status.retryAt() != null) {
                    state.put("next try", status.retryAt().toString());
                }
            }
            List<String> quarantined = t.store().quarantined();
            if (!quarantined.isEmpty()) {
                state.put("quarantined checkpoints", String.join(", ", quarantined));
            }
        });
        return state;
    }

    @Override
    public List<Map<String, Object>> trainingCycles() {
        if (trainer.isEmpty()) {
            return List.of();
        }
        CheckpointStore store = trainer.get().store();
        List<String> versions = store.versions();
        List<Map<String, Object>> cycles = new ArrayList<>();
        for (int i = Math.max(0, versions.size() - CYCLES); i < versions.size(); i++) {
            int cycle = i + 1;
            store.read(versions.get(i)).ifPresent(checkpoint -> {
                CheckpointMeta meta = checkpoint.meta();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("cycle", cycle);
                row.put("finished", meta.createdAtMillis());
                row.put("loss", meta.metrics().get("train_loss"));
                row.put("recallAt10", meta.metrics().get("recall_at_10"));
                row.put("outcome", meta.published() ? "published" : "refused");
                row.put("version", meta.version());
                cycles.add(row);
            });
        }
        return cycles;
    }

    @Override
    public Map<String, Object> serving() {
        Map<String, Object> status = new LinkedHashMap<>();
        serving.ifPresent(node -> {
            node.models().current().ifPresent(info -> {
                status.put("model version", info.version());
                status.put("codebook", info.codebookVersion());
                status.put(
                        "model age (s)",
                        Math.max(
                                0,
                                (System.currentTimeMillis()
                                                - info.publishedTime().toEpochMilli())
                                        / 1000.0));
            });
            var trie = node.trie();
            trie.versions().stream().sorted().forEach(version -> status.put("trie " + version, trie.size(version)));
            if (!trie.versions().isEmpty()) {
                status.put(
                        "trie age (s)",
                        Math.max(
                                0,
                                (System.currentTimeMillis()
                                                - trie.lastUpdateTime().toEpochMilli())
                                        / 1000.0));
            }
        });
        activity.ifPresent(a -> {
            List<String> users = a.someUsers(3);
            if (!users.isEmpty()) {
                status.put("try users", String.join(", ", users));
            }
        });
        return status;
    }

    @Override
    public Optional<Map<String, Object>> recommend(String userId, int k) {
        if (serving.isEmpty() || activity.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        RecentActivity.UserActivity user =
                activity.get().user(userId).orElse(new RecentActivity.UserActivity(List.of(), null, null, null));
        answer.put("user", userId);
        answer.put("history", titled(user.videos(), null));
        Optional<ModelHolder.Lease> lease = serving.get().models().acquire();
        if (lease.isEmpty()) {
            answer.put("error", "the serving node has not loaded a model yet: the first training cycle publishes one");
            answer.put("items", List.of());
            return Optional.of(answer);
        }
        try (ModelHolder.Lease held = lease.get()) {
            ServingModel model = held.model();
            ServingModel.Result result = model.recommend(
                    new ServingModel.Query(user.videos(), user.surface(), user.device(), user.country(), null),
                    k,
                    Math.max(k, 10));
            answer.put("modelVersion", model.info().version());
            answer.put("source", result.source());
            answer.put(
                    "items",
                    titled(
                            result.items().stream()
                                    .map(ServingModel.Scored::videoId)
                                    .toList(),
                            result.items().stream()
                                    .map(ServingModel.Scored::score)
                                    .toList()));
        }
        return Optional.of(answer);
    }

    private List<Map<String, Object>> titled(List<String> videoIds, List<Double> scores) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < videoIds.size(); i++) {
            Map<String, Object> item = new LinkedHashMap<>();
            String videoId = videoIds.get(i);
            item.put("videoId", videoId);
            item.put("title", activity.map(a -> a.title(videoId)).orElse(null));
            if (scores != null) {
                item.put("score", scores.get(i));
            }
            items.add(item);
        }
        return items;
    }
}
