package io.sidstream.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * An HTTP API's OpenAPI 3 document, kept as a class-path resource of the module that serves the API and served by
 * the process at {@link #PATH}. Read once when the server starts, so a build that lost the resource fails at start,
 * not on the first client that asks for the contract.
 */
public final class OpenApiDocument {

    /** Where every sidstream HTTP server answers with its own document. */
    public static final String PATH = "/openapi.yaml";
    /** The media type registered for YAML (RFC 9512). */
    public static final String CONTENT_TYPE = "application/yaml";

    private OpenApiDocument() {}

    /**
     * The bytes of {@code resource}. The three documents have distinct names because {@code sidstream up} runs every
     * server in one JVM, on one class path.
     */
    public static byte[] load(String resource) {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("OpenAPI document " + resource + " is not on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
