package io.sidstream.schemas.serde;

import java.nio.ByteBuffer;

/**
 * The Confluent Schema Registry wire format: magic byte 0, the schema id as a 4-byte big-endian int, then the
 * Avro binary encoding of the record.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {}

    /** The subject of a topic's values or keys under TopicNameStrategy. */
    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    /** Reads the schema id from the header, rejecting anything that is not the wire format. */
    public static int schemaId(byte[] bytes) {
        if (bytes.length < HEADER_SIZE) {
            throw new WireFormatException(
                    DecodeError.TRUNCATED_HEADER,
                    "record has " + bytes.length + " bytes, fewer than the " + HEADER_SIZE + "-byte header");
        }
        if (bytes[0] != MAGIC_BYTE) {
            throw new WireFormatException(
                    DecodeError.BAD_MAGIC_BYTE,
                    String.format("first byte is 0x%02x, expected magic byte 0x00", bytes[0]));
        }
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }

    static void writeHeader(ByteBuffer out, int schemaId) {
        out.put(MAGIC_BYTE).putInt(schemaId);
    }
}
