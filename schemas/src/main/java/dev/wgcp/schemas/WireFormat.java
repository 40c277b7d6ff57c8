package dev.wgcp.schemas;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * The Confluent Schema Registry wire format: magic byte {@code 0}, the writer schema's id as a
 * 4-byte big-endian integer, then the Avro binary encoding of the value.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_LENGTH = 5;

    private WireFormat() {
    }

    /** Encodes {@code value} with {@code writerSchema} behind the header naming {@code schemaId}. */
    public static byte[] encode(int schemaId, Schema writerSchema, Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(MAGIC_BYTE);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array(), 0, 4);
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new SpecificDatumWriter<>(writerSchema, SpecificData.getForSchema(writerSchema)).write(value, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Reads the schema id from the header.
     *
     * @throws MalformedRecordException when the bytes are not in the wire format
     */
    public static int schemaId(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_LENGTH) {
            throw new MalformedRecordException("expected at least " + HEADER_LENGTH
                    + " bytes (magic byte 0 and a 4-byte schema id), got "
                    + (bytes == null ? "null" : bytes.length + " bytes"));
        }
        if (bytes[0] != MAGIC_BYTE) {
            throw new MalformedRecordException(String.format(
                    "expected magic byte 0x00 (Confluent wire format), got 0x%02x", bytes[0] & 0xff));
        }
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }

    /** Decodes the body written with {@code writerSchema} into {@code readerSchema}'s generated classes. */
    public static Object decode(byte[] bytes, Schema writerSchema, Schema readerSchema) {
        schemaId(bytes);
        try {
            BinaryDecoder decoder = DecoderFactory.get()
                    .binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, null);
            Object value = new SpecificDatumReader<>(writerSchema, readerSchema, SpecificData.getForSchema(readerSchema))
                    .read(null, decoder);
            if (!decoder.isEnd()) {
                throw new MalformedRecordException("trailing bytes after the Avro value written with schema "
                        + writerSchema.getFullName());
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof MalformedRecordException m) {
                throw m;
            }
            throw new MalformedRecordException("Avro body does not match writer schema "
                    + writerSchema.getFullName() + ": " + e.getMessage(), e);
        }
    }
}
