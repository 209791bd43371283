package io.sidstream.tokenizer.codebook;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.CodebookPublished;
import io.sidstream.schemas.serde.AvroWireSerializer;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Announces a codebook on the {@code codebooks} topic (compacted, keyed by embedding model, so the topic keeps the
 * current codebook of every embedding space). The artifact travels inline; its file URI and sha256 come along so a
 * reader can also fetch and verify it.
 */
public final class CodebookPublisher {

    private final SidstreamConfig config;

    public CodebookPublisher(SidstreamConfig config) {
        this.config = config;
    }

    public static CodebookPublished announcement(
            Codebook codebook, byte[] artifact, String uri, QualityReport quality, Instant now) {
        return CodebookPublished.newBuilder()
                .setCodebookVersion(codebook.version())
                .setEmbeddingModel(codebook.embeddingModel())
                .setEmbeddingDim(codebook.dim())
                .setLevels(codebook.levels())
                .setCodesPerLevel(codebook.codesPerLevel())
                .setUri(uri)
                .setSha256(CodebookFormat.sha256(artifact))
                .setPayload(ByteBuffer.wrap(artifact))
                .setQuality(quality.toAvro())
                .setPublishedTime(now)
                .build();
    }

    /** Sends and waits for the broker's acknowledgement. */
    public void publish(CodebookPublished announcement) {
        Map<String, Object> props = config.kafka().producer("codebook-publisher");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topic.LARGE_RECORD_BYTES);
        try (KafkaProducer<String, CodebookPublished> producer = new KafkaProducer<>(
                props, new StringSerializer(), AvroWireSerializer.create(config.registry(), CodebookPublished.class))) {
            producer.send(new ProducerRecord<>(
                            Topic.CODEBOOKS.topicName(), announcement.getEmbeddingModel(), announcement))
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(
                    "interrupted while publishing codebook " + announcement.getCodebookVersion(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot publish codebook " + announcement.getCodebookVersion() + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        }
    }
}
