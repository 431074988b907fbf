package dev.compactor.conversation.dynamo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Large text attributes (message bodies, summaries, stored responses) are kept deflated as a
 * binary attribute when that makes them smaller: DynamoDB bills reads and writes per kilobyte
 * and limits an item to 400 KB, and conversation text typically shrinks three- to five-fold.
 * Short text stays a plain string, readable in the console.
 */
final class StoredText {
    /** Below one write unit there is nothing to save. */
    static final int COMPRESS_FROM_BYTES = 1024;

    private StoredText() {}

    static AttributeValue encode(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        if (utf8.length < COMPRESS_FROM_BYTES) {
            return Attr.s(text);
        }
        byte[] deflated = deflate(utf8);
        return deflated.length < utf8.length ? AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(deflated)) : Attr.s(text);
    }

    static String decode(AttributeValue value) {
        if (value == null) {
            return null;
        }
        return value.s() != null ? value.s() : new String(inflate(value.b().asByteArrayUnsafe()), StandardCharsets.UTF_8);
    }

    private static byte[] deflate(byte[] input) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(input);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(input.length / 3 + 64);
            byte[] buffer = new byte[16 * 1024];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte[] inflate(byte[] input) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(input);
            ByteArrayOutputStream out = new ByteArrayOutputStream(input.length * 4);
            byte[] buffer = new byte[16 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalStateException("a stored text attribute is truncated");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalStateException("a stored text attribute is not valid deflate data", e);
        } finally {
            inflater.end();
        }
    }
}
