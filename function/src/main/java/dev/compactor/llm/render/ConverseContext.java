package dev.compactor.llm.render;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Bedrock Converse's {@code system} and {@code messages}: content blocks {@code text},
 * {@code image} (inline bytes only: Converse takes no URL, so a URL image is Letta's text
 * marker), {@code toolUse} and {@code toolResult}, in strictly alternating user/assistant turns,
 * the first the user's. Cache points are {@code cachePoint} blocks after the system prompt and
 * after the last block of the stable messages.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConverseContext(List<SystemBlock> system, List<Message> messages) {
    static final CachePoint DEFAULT = new CachePoint("default");

    public ConverseContext {
        system = system == null ? null : List.copyOf(system);
        messages = List.copyOf(messages);
    }

    /** {@code {"text"}} or {@code {"cachePoint"}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SystemBlock(String text, CachePoint cachePoint) {}

    public record Message(String role, List<Block> content) {}

    /** One content block: exactly one member is set, as Converse's union is written. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Block(String text, Image image, ToolUse toolUse, ToolResult toolResult, CachePoint cachePoint) {
        static Block text(String text) {
            return new Block(text, null, null, null, null);
        }
    }

    /** @param format {@code png}, {@code jpeg}, {@code gif} or {@code webp} */
    public record Image(String format, ImageBytes source) {}

    /** @param bytes base64, as Converse's JSON carries a blob */
    public record ImageBytes(String bytes) {}

    /** @param input the call's arguments: free-form JSON */
    public record ToolUse(String toolUseId, String name, Map<String, Object> input) {}

    /** @param status {@code success} or {@code error} */
    public record ToolResult(String toolUseId, List<ResultText> content, String status) {}

    public record ResultText(String text) {}

    public record CachePoint(String type) {}

    static ConverseContext render(ContextParts parts) {
        Exchange exchange = Exchange.of(parts);
        List<Exchange.Entry> turns = exchange.alternating();
        Exchange.Block stableEnd = Exchange.stableEnd(turns, parts);
        List<SystemBlock> system = null;
        if (exchange.system() != null) {
            system = new ArrayList<>(List.of(new SystemBlock(exchange.system(), null)));
            if (parts.cached()) {
                system.add(new SystemBlock(null, DEFAULT));
            }
        }
        List<Message> messages = new ArrayList<>(turns.size());
        for (Exchange.Entry turn : turns) {
            List<Block> content = new ArrayList<>(turn.blocks().size() + 1);
            for (Exchange.Block b : turn.blocks()) {
                content.add(block(b));
                if (b == stableEnd) {
                    content.add(new Block(null, null, null, null, DEFAULT));
                }
            }
            messages.add(new Message(turn.speaker() == Exchange.Speaker.ASSISTANT ? "assistant" : "user", content));
        }
        return new ConverseContext(system, messages);
    }

    private static Block block(Exchange.Block b) {
        return switch (b) {
            case Exchange.Text t -> Block.text(t.text());
            case Exchange.Image i -> i.image().bedrockFormat() == null ? Block.text(Texts.IMAGE_HERE)
                    : new Block(null, new Image(i.image().bedrockFormat(), new ImageBytes(i.image().data())), null, null, null);
            case Exchange.Call c -> new Block(null, null, new ToolUse(ToolIds.safe(c.id()), c.name(), Arguments.object(c.arguments())),
                    null, null);
            case Exchange.Result r -> new Block(null, null, null, new ToolResult(ToolIds.safe(r.callId()),
                    List.of(new ResultText(r.text() == null ? "" : r.text())), r.error() ? "error" : "success"), null);
        };
    }

    /** The names of the tools the messages call, sorted: Converse needs a {@code toolConfig} naming them. */
    @JsonIgnore
    public List<String> toolNames() {
        TreeSet<String> names = new TreeSet<>();
        for (Message m : messages) {
            for (Block b : m.content()) {
                if (b.toolUse() != null) {
                    names.add(b.toolUse().name());
                }
            }
        }
        return List.copyOf(names);
    }
}
