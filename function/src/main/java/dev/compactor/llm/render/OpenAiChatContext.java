package dev.compactor.llm.render;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.compactor.text.CodePoints;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code messages} of an OpenAI Chat Completions request: the system message first, assistant
 * messages with {@code tool_calls} (arguments as a JSON string), one {@code tool} message per
 * result right after them. Tool-call ids are cut to Letta's 29 characters. OpenAI caches by
 * prefix on its own, so there are no cache marks; rendering is deterministic, which keeps the
 * prefix byte-stable.
 */
public record OpenAiChatContext(List<Message> messages) {
    /** Letta cuts tool-call ids to this length for OpenAI. */
    static final int TOOL_CALL_ID_MAX = 29;

    public OpenAiChatContext {
        messages = List.copyOf(messages);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Message(String role, Content content, @JsonProperty("tool_calls") List<ToolCall> toolCalls,
                          @JsonProperty("tool_call_id") String toolCallId) {
        public static Message of(String role, String text) {
            return new Message(role, new Text(text), null, null);
        }
    }

    /** A message's content: a string, or parts when it carries images. */
    public sealed interface Content permits Text, Parts {}

    public record Text(@JsonValue String text) implements Content {}

    public record Parts(@JsonValue List<Part> parts) implements Content {}

    /** {@code {"type":"text","text"}} or {@code {"type":"image_url","image_url":{"url"}}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Part(String type, String text, @JsonProperty("image_url") ImageUrl imageUrl) {}

    public record ImageUrl(String url) {}

    public record ToolCall(String id, String type, Function function) {}

    public record Function(String name, String arguments) {}

    static OpenAiChatContext render(ContextParts parts) {
        Exchange exchange = Exchange.of(parts);
        List<Message> out = new ArrayList<>();
        if (exchange.system() != null) {
            out.add(Message.of("system", exchange.system()));
        }
        for (Exchange.Entry e : exchange.entries()) {
            switch (e.speaker()) {
                case USER -> out.add(new Message("user", content(e.blocks()), null, null));
                case ASSISTANT -> {
                    List<String> texts = new ArrayList<>();
                    List<ToolCall> calls = new ArrayList<>();
                    for (Exchange.Block b : e.blocks()) {
                        if (b instanceof Exchange.Text t) {
                            texts.add(t.text());
                        } else if (b instanceof Exchange.Call c) {
                            calls.add(new ToolCall(id(c.id()), "function", new Function(c.name(), c.arguments() == null ? "" : c.arguments())));
                        }
                    }
                    out.add(new Message("assistant", texts.isEmpty() ? null : new Text(String.join("\n\n", texts)),
                            calls.isEmpty() ? null : calls, null));
                }
                case TOOL -> {
                    for (Exchange.Block b : e.blocks()) {
                        Exchange.Result r = (Exchange.Result) b;
                        out.add(new Message("tool", new Text(r.text() == null ? "" : r.text()), null, id(r.callId())));
                    }
                }
            }
        }
        return new OpenAiChatContext(out);
    }

    /** Text alone as a string (the common case, and Letta's form); with images, text and image_url parts in order. */
    private static Content content(List<Exchange.Block> blocks) {
        boolean images = false;
        for (Exchange.Block b : blocks) {
            images |= b instanceof Exchange.Image;
        }
        if (!images) {
            List<String> texts = new ArrayList<>();
            for (Exchange.Block b : blocks) {
                texts.add(((Exchange.Text) b).text());
            }
            return new Text(String.join("\n\n", texts));
        }
        List<Part> parts = new ArrayList<>();
        for (Exchange.Block b : blocks) {
            if (b instanceof Exchange.Text t) {
                parts.add(new Part("text", t.text(), null));
            } else if (b instanceof Exchange.Image i) {
                parts.add(new Part("image_url", null, new ImageUrl(i.image().asUrl())));
            }
        }
        return new Parts(parts);
    }

    static String id(String id) {
        return id == null ? null : CodePoints.prefix(id, TOOL_CALL_ID_MAX);
    }
}
