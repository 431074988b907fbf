package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.n;
import static dev.compactor.conversation.dynamo.Attr.num;
import static dev.compactor.conversation.dynamo.Attr.s;
import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.Message;
import dev.compactor.conversation.MessageCodec;
import dev.compactor.input.Fields;
import dev.compactor.support.Json;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Message items: the message's Letta JSON (deflated when large), its id, role and cached token estimate. */
final class MessageItems {
    private MessageItems() {}

    static Map<String, AttributeValue> item(String pk, Message m) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(pk));
        item.put("sk", s(Keys.message(m.seq())));
        item.put("id", s(m.id()));
        item.put("role", s(m.role().wire()));
        item.put("body", StoredText.encode(Json.write(MessageCodec.body(m))));
        item.put("tokens", n(m.tokens()));
        item.put("created_at", s(m.createdAt().toString()));
        return item;
    }

    static Message message(Map<String, AttributeValue> item) {
        return message(item, body(item));
    }

    /** The message's stored Letta JSON. */
    static String body(Map<String, AttributeValue> item) {
        return StoredText.decode(item.get("body"));
    }

    static Message message(Map<String, AttributeValue> item, String body) {
        Fields fields = new Fields();
        Message parsed = MessageCodec.fromJson(Json.tree(body), List.of("stored"), fields);
        if (parsed == null) {
            throw new IllegalStateException("stored message " + str(item, "id") + " is unreadable: " + fields.errors());
        }
        return parsed.withStorage(str(item, "id"), Keys.seqOf(str(item, "sk")), Instant.parse(str(item, "created_at")),
                (int) num(item, "tokens"));
    }
}
