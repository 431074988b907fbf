package dev.compactor.conversation.dynamo;

import static dev.compactor.conversation.dynamo.Attr.n;
import static dev.compactor.conversation.dynamo.Attr.num;
import static dev.compactor.conversation.dynamo.Attr.s;
import static dev.compactor.conversation.dynamo.Attr.str;

import dev.compactor.conversation.Message;
import dev.compactor.conversation.MessageCodec;
import dev.compactor.support.Json;
import java.util.HashMap;
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
        Message parsed;
        try {
            parsed = MessageBodyReader.read(body);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("stored message " + str(item, "id") + " is unreadable: " + e.getMessage(), e);
        }
        return parsed.withStorage(str(item, "id"), Keys.seqOf(str(item, "sk")), StoredInstant.parse(str(item, "created_at")),
                (int) num(item, "tokens"));
    }
}
