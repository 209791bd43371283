package io.sidstream.ingest.replay;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The lines of a dataset file (decompressed when its name ends in {@code .gz}), each decoded on its own: a line with
 * bytes that are not valid in the charset fails alone, with its own line number, instead of turning into replacement
 * characters or failing the read at wherever a buffered reader happened to be.
 */
final class TextLines implements AutoCloseable {

    private final InputStream in;
    private final CharsetDecoder decoder;
    private byte[] line = new byte[256];

    TextLines(Path file, Charset charset) throws IOException {
        InputStream raw = Files.newInputStream(file);
        try {
            this.in = new BufferedInputStream(
                    DatasetFiles.isGzip(file) ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16);
        } catch (IOException e) {
            raw.close();
            throw e;
        }
        this.decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /**
     * The next line without its line break, or null at the end of the file. A line that does not decode is consumed
     * and reported by the exception, so the caller can count it and go on.
     */
    String next() throws IOException {
        int length = 0;
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (length == line.length) {
                line = Arrays.copyOf(line, length * 2);
            }
            line[length++] = (byte) b;
        }
        if (b < 0 && length == 0) {
            return null;
        }
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        return decode(length);
    }

    private String decode(int length) throws CharacterCodingException {
        decoder.reset();
        return decoder.decode(ByteBuffer.wrap(line, 0, length)).toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
