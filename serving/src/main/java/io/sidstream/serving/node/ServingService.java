package io.sidstream.serving.node;

import ai.djl.Device;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.service.Parts;
import io.sidstream.core.service.Supervised;
import io.sidstream.serving.model.CheckpointSubscriber;
import io.sidstream.serving.model.InferenceThreads;
import io.sidstream.serving.model.ModelHolder;
import io.sidstream.serving.model.TrainerModelLoader;
import io.sidstream.serving.trie.ServingTrie;
import io.sidstream.serving.trie.TrieSubscriber;
import java.time.Clock;

/**
 * A whole serving node: it follows {@code trie-updates} and {@code checkpoints} (each under supervision, restarted
 * when it fails), loads every newer checkpoint of {@code serving.model-name} in the background and swaps it in, and
 * answers {@code POST /v1/recommend}. {@code sidstream serve} runs one alone; {@code sidstream up} runs one beside
 * the other parts.
 */
public final class ServingService implements AutoCloseable {

    private final ServingTrie trie = new ServingTrie();
    private final Parts parts = new Parts("serving node");
    private ModelHolder models;
    private ServingNode node;

    private ServingService() {}

    public static ServingService start(SidstreamConfig config, Clock clock) {
        ServingNodeConfig settings = ServingNodeConfig.from(config);
        InferenceThreads.apply(config);
        ServingService service = new ServingService();
        try {
            service.models = new ModelHolder(new TrainerModelLoader(service.trie, Device.cpu(), clock), clock);
            service.parts.add(service.models);
            service.parts.add(new Supervised("trie-subscriber", () -> {
                        TrieSubscriber subscriber = new TrieSubscriber(config, service.trie, settings.nodeId(), clock);
                        return Supervised.Part.of(subscriber, subscriber::stop);
                    })
                    .start());
            service.parts.add(new Supervised("checkpoint-subscriber", () -> {
                        CheckpointSubscriber subscriber = new CheckpointSubscriber(
                                config, settings.modelName(), settings.nodeId(), service.models);
                        return Supervised.Part.of(subscriber, subscriber::stop);
                    })
                    .start());
            service.node = new ServingNode(settings, service.models).start();
            service.parts.add(service.node);
            return service;
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
    }

    /** The valid SIDs of every codebook version, as this node follows them. */
    public ServingTrie trie() {
        return trie;
    }

    /** The model being served, hot-swapped as checkpoints arrive. */
    public ModelHolder models() {
        return models;
    }

    /** The port of {@code POST /v1/recommend}. */
    public int port() {
        return node.port();
    }

    @Override
    public void close() {
        // the HTTP server first so no request starts on a model being closed; the holder drains leases last
        parts.close();
    }
}
