package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.n;
import static dev.compactor.conversation.dynamo.Attr.num;
import static dev.compactor.conversation.dynamo.Attr.putString;
import static dev.compactor.conversation.dynamo.Attr.s;
import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.CompactionReport;
import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.SummaryRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Summary items: the record of one generation (its text and lineage), and the small marker that
 * places the summary message in the conversation's history.
 */
final class SummaryItems {
    private SummaryItems() {}

    static Map<String, AttributeValue> record(String pk, SummaryRecord r) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(pk));
        item.put("sk", s(Keys.summary(r.generation())));
        item.put("generation", n(r.generation()));
        item.put("parent_generation", n(r.parentGeneration()));
        item.put("message_id", s(r.messageId()));
        item.put("packed_text", StoredText.encode(r.packedText()));
        item.put("summary", StoredText.encode(r.summary()));
        item.put("covered_from_seq", n(r.coveredFromSeq()));
        item.put("covered_to_seq", n(r.coveredToSeq()));
        item.put("kept_from_seq", n(r.keptFromSeq()));
        putString(item, "mode_requested", r.modeRequested());
        putString(item, "mode_used", r.modeUsed());
        putString(item, "model", r.model());
        putString(item, "source", r.source());
        putString(item, "prompt_hash", r.promptHash());
        item.put("tokens", n(r.tokens()));
        item.put("created_at", s(r.createdAt().toString()));
        item.put("details", s(r.details() == null ? "{}" : StoredJson.write(r.details())));
        putString(item, "trigger", r.trigger());
        return item;
    }

    static SummaryRecord record(Map<String, AttributeValue> item) {
        return new SummaryRecord(num(item, "generation"), num(item, "parent_generation"), str(item, "message_id"),
                StoredText.decode(item.get("packed_text")), StoredText.decode(item.get("summary")), num(item, "covered_from_seq"),
                num(item, "covered_to_seq"), num(item, "kept_from_seq"), str(item, "mode_requested"), str(item, "mode_used"),
                str(item, "model"), str(item, "source"), str(item, "prompt_hash"), (int) num(item, "tokens"),
                StoredInstant.parse(str(item, "created_at")),
                details(item), str(item, "trigger"));
    }

    /** Items written without a report hold an empty object. */
    private static CompactionReport details(Map<String, AttributeValue> item) {
        String json = str(item, "details");
        if (json == null || json.equals("{}")) {
            return null;
        }
        return StoredJson.read(json, CompactionReport.class);
    }

    /** The marker carries the summary message's id, so list cursors can point at it. */
    static Map<String, AttributeValue> marker(String pk, SummaryRecord r) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(pk));
        item.put("sk", s(Keys.summaryMarker(r.coveredToSeq(), r.generation())));
        item.put("id", s(r.messageId()));
        item.put("generation", n(r.generation()));
        return item;
    }

    /** The summary as the message the model sees in context. */
    static Message message(SummaryRecord r) {
        return new Message(r.messageId(), -1, Role.SUMMARY, List.of(new ContentPart.Text(r.packedText())), null, null,
                null, null, null, null, null, null, r.createdAt(), r.tokens());
    }
}
