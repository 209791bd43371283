package io.sidstream.tokenizer.embed;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A sentence encoder on DJL's ONNX Runtime engine with DJL's Hugging Face tokenizer: token embeddings mean-pooled over
 * the attention mask, then L2-normalised (what sentence-transformers does for all-MiniLM-L6-v2). The model and its
 * tokenizer ({@link TextModel}) come from a langchain4j model jar on the classpath and are copied once into DJL's
 * cache directory, because ONNX Runtime loads from a file. Thread-safe (one batch at a time).
 */
public final class OnnxTextEmbedder implements TextEmbedder {

    /** MiniLM was trained on 256 word pieces; longer texts are cut. */
    private static final int MAX_TOKENS = 256;

    private final String modelName;
    private final int dim;
    private final boolean batchable;
    private final HuggingFaceTokenizer tokenizer;
    private final ZooModel<NDList, NDList> model;
    private final Predictor<NDList, NDList> predictor;

    private OnnxTextEmbedder(
            String modelName, int dim, boolean batchable, Path modelFile, Path tokenizerFile, int threads)
            throws IOException {
        this.modelName = modelName;
        this.dim = dim;
        this.batchable = batchable;
        Engine.getEngine("OnnxRuntime");
        this.tokenizer = HuggingFaceTokenizer.newInstance(
                tokenizerFile,
                Map.of("padding", "true", "truncation", "true", "maxLength", Integer.toString(MAX_TOKENS)));
        try {
            var criteria = Criteria.builder()
                    .setTypes(NDList.class, NDList.class)
                    .optModelPath(modelFile)
                    .optEngine("OnnxRuntime");
            if (threads > 0) {
                criteria.optOption("intraOpNumThreads", Integer.toString(threads));
            }
            this.model = criteria.build().loadModel();
        } catch (ModelNotFoundException | MalformedModelException e) {
            tokenizer.close();
            throw new IllegalStateException("cannot load " + modelFile + ": " + e.getMessage(), e);
        }
        this.predictor = model.newPredictor();
    }

    /** The encoder of {@code model} on ONNX Runtime's default threads (one per physical core). */
    public static OnnxTextEmbedder open(TextModel model) {
        return open(model, 0);
    }

    /** The encoder of {@code model} on {@code threads} intra-op threads of ONNX Runtime (0: its default). */
    public static OnnxTextEmbedder open(TextModel model, int threads) {
        try {
            Path dir = cacheDir().resolve("sidstream-models").resolve(model.spaceName());
            return new OnnxTextEmbedder(
                    model.spaceName(),
                    model.dimension(),
                    model.batchable(),
                    extract(model.modelResource(), dir),
                    extract(model.tokenizerResource(), dir),
                    threads);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the files of text model " + model.spaceName(), e);
        }
    }

    @Override
    public String modelName() {
        return modelName;
    }

    @Override
    public int dimension() {
        return dim;
    }

    @Override
    public synchronized List<float[]> embed(List<String> texts) {
        if (texts.isEmpty() || batchable) {
            return forward(texts);
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            out.addAll(forward(List.of(text)));
        }
        return out;
    }

    /** One forward pass over {@code texts}, padded to the longest. */
    private List<float[]> forward(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int batch = encodings.length;
        int length = encodings[0].getIds().length;
        long[] ids = new long[batch * length];
        long[] mask = new long[batch * length];
        long[] types = new long[batch * length];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(encodings[b].getIds(), 0, ids, b * length, length);
            System.arraycopy(encodings[b].getAttentionMask(), 0, mask, b * length, length);
            System.arraycopy(encodings[b].getTypeIds(), 0, types, b * length, length);
        }
        try (NDManager manager = model.getNDManager().newSubManager()) {
            Shape shape = new Shape(batch, length);
            NDArray inputIds = manager.create(ids, shape);
            inputIds.setName("input_ids");
            NDArray attention = manager.create(mask, shape);
            attention.setName("attention_mask");
            NDArray typeIds = manager.create(types, shape);
            typeIds.setName("token_type_ids");
            NDList output = predictor.predict(new NDList(inputIds, attention, typeIds));
            float[] hidden = output.get(0).toFloatArray();
            output.close();
            return pool(hidden, mask, batch, length);
        } catch (TranslateException e) {
            throw new IllegalStateException(
                    "the text encoder failed on a batch of " + batch + ": " + e.getMessage(), e);
        }
    }

    /** Mean over the real (unmasked) tokens, then unit length. */
    private List<float[]> pool(float[] hidden, long[] mask, int batch, int length) {
        List<float[]> out = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            float[] v = new float[dim];
            int tokens = 0;
            for (int t = 0; t < length; t++) {
                if (mask[b * length + t] == 0) {
                    continue;
                }
                tokens++;
                int off = (b * length + t) * dim;
                for (int d = 0; d < dim; d++) {
                    v[d] += hidden[off + d];
                }
            }
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                v[d] /= Math.max(tokens, 1);
                norm += v[d] * v[d];
            }
            float inv = (float) (1 / Math.max(Math.sqrt(norm), 1e-12));
            for (int d = 0; d < dim; d++) {
                v[d] *= inv;
            }
            out.add(v);
        }
        return out;
    }

    @Override
    public synchronized void close() {
        predictor.close();
        model.close();
        tokenizer.close();
    }

    private static Path cacheDir() {
        String dir = System.getProperty("DJL_CACHE_DIR", System.getenv("DJL_CACHE_DIR"));
        return dir == null || dir.isBlank() ? Path.of(System.getProperty("user.home"), ".djl.ai") : Path.of(dir);
    }

    /** Copies a classpath resource into {@code dir} unless a complete copy is already there. */
    private static synchronized Path extract(String resource, Path dir) throws IOException {
        Path target = dir.resolve(resource);
        var url = OnnxTextEmbedder.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IOException(resource + " is not on the classpath (a langchain4j-embeddings-* model jar)");
        }
        long size = url.openConnection().getContentLengthLong();
        if (Files.isRegularFile(target) && Files.size(target) == size) {
            return target;
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, resource, ".tmp");
        try (InputStream in = url.openStream()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }
}
