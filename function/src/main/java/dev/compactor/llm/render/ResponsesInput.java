package dev.compactor.llm.render;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI Responses' {@code instructions} and {@code input}: {@code message} items, then a
 * {@code function_call} item per call and a {@code function_call_output} item per result, matched
 * by {@code call_id}. Cached by prefix like Chat Completions.
 *
 * @param instructions the system prompt, or null for none
 */
public record ResponsesInput(String instructions, List<Item> input) {

    public ResponsesInput {
        input = List.copyOf(input);
    }

    public sealed interface Item permits MessageItem, FunctionCallItem, FunctionCallOutputItem {}

    /** @param type {@code message}, or null for the short form {@code {"role","content"}} */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MessageItem(String type, String role, Content content) implements Item {}

    public record FunctionCallItem(String type, @JsonProperty("call_id") String callId, String name, String arguments) implements Item {}

    public record FunctionCallOutputItem(String type, @JsonProperty("call_id") String callId, String output) implements Item {}

    /** A message's content: a string, or {@code input_text}/{@code input_image} parts when it carries images. */
    public sealed interface Content permits Text, Parts {}

    public record Text(@JsonValue String text) implements Content {}

    public record Parts(@JsonValue List<Part> parts) implements Content {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Part(String type, String text, @JsonProperty("image_url") String imageUrl) {}

    static ResponsesInput render(ContextParts parts) {
        Exchange exchange = Exchange.of(parts);
        List<Item> items = new ArrayList<>();
        for (Exchange.Entry e : exchange.entries()) {
            switch (e.speaker()) {
                case USER -> items.add(new MessageItem("message", "user", content(e.blocks())));
                case ASSISTANT -> {
                    List<String> texts = new ArrayList<>();
                    for (Exchange.Block b : e.blocks()) {
                        if (b instanceof Exchange.Text t) {
                            texts.add(t.text());
                        }
                    }
                    if (!texts.isEmpty()) {
                        items.add(new MessageItem("message", "assistant", new Text(String.join("\n\n", texts))));
                    }
                    for (Exchange.Block b : e.blocks()) {
                        if (b instanceof Exchange.Call c) {
                            items.add(new FunctionCallItem("function_call", c.id(), c.name(), c.arguments() == null ? "" : c.arguments()));
                        }
                    }
                }
                case TOOL -> {
                    for (Exchange.Block b : e.blocks()) {
                        Exchange.Result r = (Exchange.Result) b;
                        items.add(new FunctionCallOutputItem("function_call_output", r.callId(), r.text() == null ? "" : r.text()));
                    }
                }
            }
        }
        return new ResponsesInput(exchange.system(), items);
    }

    private static Content content(List<Exchange.Block> blocks) {
        List<Part> parts = new ArrayList<>();
        boolean images = false;
        for (Exchange.Block b : blocks) {
            if (b instanceof Exchange.Text t) {
                parts.add(new Part("input_text", t.text(), null));
            } else if (b instanceof Exchange.Image i) {
                images = true;
                parts.add(new Part("input_image", null, i.image().asUrl()));
            }
        }
        if (images) {
            return new Parts(parts);
        }
        List<String> texts = new ArrayList<>();
        for (Part p : parts) {
            texts.add(p.text());
        }
        return new Text(String.join("\n\n", texts));
    }
}
