package dev.compactor.conversation.dynamo;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Sizes as DynamoDB accounts them (developer guide, "Item sizes and formats"): every attribute
 * costs its name's UTF-8 bytes plus its value — a string its UTF-8 bytes, a binary its raw bytes,
 * a boolean or null one byte, a set the sum of its members, a list or map 3 bytes plus one byte
 * and the size of each element (a map element also its key). A number is stored as base-100
 * digits: one byte per pair of decimal digits, aligned on the decimal point, spanning the first
 * to the last significant digit, plus one byte (two when negative); zero is one byte. This is
 * never less than the guide's "one byte per two significant digits plus one" and is what DynamoDB
 * Local enforces.
 *
 * <p>The table has a local secondary index, and for such tables the 400 KB item limit covers the
 * item plus its entry in each local index (developer guide, "Constraints"). A request that breaks
 * either limit fails as a whole with a validation error, so everything written is checked here first.
 */
final class ItemSize {
    static final int MAX_ITEM_BYTES = 400 * 1024;
    /** TransactWriteItems limit on the items of one transaction together. */
    static final int MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;
    /**
     * What an append's transaction sets aside for the conversation head it updates besides the
     * messages: a head holds ids of at most 64 characters, counters, timestamps, its due-index and
     * listing keys (under 1 KB together), and the client's own fields, which the API bounds
     * (summary and description 2,000 code points each, model 256, model settings 4,000 as JSON: a
     * head holding the largest of each, all four-byte characters, measures 33,605 bytes).
     */
    static final int HEAD_UPDATE_BYTES = 48 * 1024;
    /**
     * The attributes of an item's entry in the {@code by_id} local index (template.yaml): the
     * table's keys and the index's sort key, KEYS_ONLY. Only items with an {@code id} have one.
     */
    static final List<String> BY_ID_ENTRY = List.of("pk", "sk", "id");

    private ItemSize() {}

    /** The item's own size: what a transaction's 4 MB limit adds up. */
    static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += utf8(e.getKey()) + value(e.getValue());
        }
        return size;
    }

    /** The size held against the 400 KB item limit: the item and its local index entry. */
    static long againstItemLimit(Map<String, AttributeValue> item) {
        long size = of(item);
        if (item.containsKey("id")) {
            for (String name : BY_ID_ENTRY) {
                AttributeValue v = item.get(name);
                size += utf8(name) + value(v);
            }
        }
        return size;
    }

    static long value(AttributeValue v) {
        return switch (v.type()) {
            case S -> utf8(v.s());
            case N -> number(v.n());
            case B -> v.b().asByteArrayUnsafe().length;
            case BOOL, NUL -> 1;
            case SS -> v.ss().stream().mapToLong(ItemSize::utf8).sum();
            case NS -> v.ns().stream().mapToLong(ItemSize::number).sum();
            case BS -> v.bs().stream().mapToLong(b -> b.asByteArrayUnsafe().length).sum();
            case L -> 3 + v.l().stream().mapToLong(e -> 1 + value(e)).sum();
            case M -> 3 + v.m().entrySet().stream().mapToLong(e -> 1 + utf8(e.getKey()) + value(e.getValue())).sum();
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("an attribute value of no known type");
        };
    }

    static long number(String n) {
        BigDecimal d = new BigDecimal(n).stripTrailingZeros();
        if (d.signum() == 0) {
            return 1;
        }
        int digits = d.unscaledValue().abs().toString().length();
        // Powers of ten of the first and last significant digit; base-100 digit k holds 10^(2k) and 10^(2k+1).
        int highest = digits - d.scale() - 1;
        int lowest = -d.scale();
        long pairs = Math.floorDiv(highest, 2) - Math.floorDiv(lowest, 2) + 1;
        return pairs + (d.signum() < 0 ? 2 : 1);
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

}
