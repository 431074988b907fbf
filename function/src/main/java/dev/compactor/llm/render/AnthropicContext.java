package dev.compactor.llm.render;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Anthropic Messages' {@code system} and {@code messages}: text, image, {@code tool_use} and
 * {@code tool_result} blocks in strictly alternating user/assistant turns, the first the user's.
 * Cache points are {@code cache_control: {"type":"ephemeral"}} on the system prompt and on the
 * last block of the stable messages, as Letta marks the agent's own requests.
 *
 * @param system the system prompt as one text block, or null for none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AnthropicContext(List<TextBlock> system, List<Message> messages) {
    static final CacheControl EPHEMERAL = new CacheControl("ephemeral");

    public AnthropicContext {
        system = system == null ? null : List.copyOf(system);
        messages = List.copyOf(messages);
    }

    public record Message(String role, List<Block> content) {}

    public sealed interface Block permits TextBlock, ImageBlock, ToolUseBlock, ToolResultBlock {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TextBlock(String type, String text, @JsonProperty("cache_control") CacheControl cacheControl) implements Block {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ImageBlock(String type, Source source, @JsonProperty("cache_control") CacheControl cacheControl) implements Block {}

    /** {@code {"type":"base64","media_type","data"}} or {@code {"type":"url","url"}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Source(String type, @JsonProperty("media_type") String mediaType, String data, String url) {}

    /** @param input the call's arguments: free-form JSON */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ToolUseBlock(String type, String id, String name, Map<String, Object> input,
                               @JsonProperty("cache_control") CacheControl cacheControl) implements Block {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ToolResultBlock(String type, @JsonProperty("tool_use_id") String toolUseId, String content,
                                  @JsonProperty("is_error") Boolean isError,
                                  @JsonProperty("cache_control") CacheControl cacheControl) implements Block {}

    public record CacheControl(String type) {}

    static AnthropicContext render(ContextParts parts) {
        Exchange exchange = Exchange.of(parts);
        List<Exchange.Entry> turns = exchange.alternating();
        Exchange.Block stableEnd = Exchange.stableEnd(turns, parts);
        List<TextBlock> system = exchange.system() == null ? null
                : List.of(new TextBlock("text", exchange.system(), parts.cached() ? EPHEMERAL : null));
        List<Message> messages = new ArrayList<>(turns.size());
        for (Exchange.Entry turn : turns) {
            List<Block> content = new ArrayList<>(turn.blocks().size());
            for (Exchange.Block b : turn.blocks()) {
                content.add(block(b, b == stableEnd ? EPHEMERAL : null));
            }
            messages.add(new Message(turn.speaker() == Exchange.Speaker.ASSISTANT ? "assistant" : "user", content));
        }
        return new AnthropicContext(system, messages);
    }

    private static Block block(Exchange.Block b, CacheControl cache) {
        return switch (b) {
            case Exchange.Text t -> new TextBlock("text", t.text(), cache);
            case Exchange.Image i -> new ImageBlock("image", i.image().inline()
                    ? new Source("base64", i.image().mediaType(), i.image().data(), null)
                    : new Source("url", null, null, i.image().url()), cache);
            case Exchange.Call c -> new ToolUseBlock("tool_use", ToolIds.safe(c.id()), c.name(), Arguments.object(c.arguments()), cache);
            case Exchange.Result r -> new ToolResultBlock("tool_result", ToolIds.safe(r.callId()),
                    r.text() == null || r.text().isEmpty() ? null : r.text(), r.error() ? Boolean.TRUE : null, cache);
        };
    }

    /** The names of the tools the messages call, sorted: a request carrying tool blocks must declare them. */
    @JsonIgnore
    public List<String> toolNames() {
        TreeSet<String> names = new TreeSet<>();
        for (Message m : messages) {
            for (Block b : m.content()) {
                if (b instanceof ToolUseBlock u) {
                    names.add(u.name());
                }
            }
        }
        return List.copyOf(names);
    }
}
