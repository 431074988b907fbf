package dev.compactor.conversation.dynamo;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's size as DynamoDB counts it against its 400 KB item limit: attribute names plus
 * values (UTF-8 strings, raw binary, numbers at about one byte per two digits).
 */
final class ItemSize {
    static final int MAX_ITEM_BYTES = 400 * 1024;
    /** TransactWriteItems limit on the items of one transaction together. */
    static final int MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

    private ItemSize() {}

    static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += utf8(e.getKey()) + value(e.getValue());
        }
        return size;
    }

    private static long value(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.n() != null) {
            return new BigDecimal(v.n()).stripTrailingZeros().precision() / 2 + 2;
        }
        if (v.b() != null) {
            return v.b().asByteArrayUnsafe().length;
        }
        throw new IllegalArgumentException("the store writes strings, numbers and binaries only");
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
