package dev.compactor.llm.bedrock;

import dev.compactor.llm.render.ContextParts;
import dev.compactor.llm.render.ConverseContext;
import dev.compactor.llm.render.NativeContext;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointType;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageSource;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * The agent's context (self-compaction) as the SDK's Converse request parts: the rendering of
 * {@link NativeContext#bedrock} carried over block for block, cache points kept only for the
 * models that take them, and the called tools declared (Converse refuses tool blocks without a
 * {@code toolConfig}).
 *
 * @param toolConfig null when the context calls no tools
 */
record ConverseMessages(List<SystemContentBlock> system, List<Message> messages, ToolConfiguration toolConfig) {
    private static final CachePointBlock CACHE_POINT = CachePointBlock.builder().type(CachePointType.DEFAULT).build();
    private static final Document ANY_OBJECT = Document.fromMap(Map.of("type", Document.fromString("object")));

    static ConverseMessages of(ContextParts parts, String model) {
        ContextParts marked = takesCachePoints(model) ? parts : parts.withCachePoint(ContextParts.NO_CACHE_POINT);
        ConverseContext context = NativeContext.bedrock(marked);
        List<SystemContentBlock> system = null;
        if (context.system() != null) {
            system = new ArrayList<>();
            for (ConverseContext.SystemBlock b : context.system()) {
                system.add(b.cachePoint() != null ? SystemContentBlock.fromCachePoint(CACHE_POINT) : SystemContentBlock.fromText(b.text()));
            }
        }
        List<Message> messages = new ArrayList<>(context.messages().size());
        for (ConverseContext.Message m : context.messages()) {
            List<ContentBlock> content = new ArrayList<>(m.content().size());
            for (ConverseContext.Block b : m.content()) {
                content.add(block(b));
            }
            messages.add(Message.builder().role("assistant".equals(m.role()) ? ConversationRole.ASSISTANT : ConversationRole.USER)
                    .content(content).build());
        }
        List<Tool> tools = new ArrayList<>();
        for (String name : context.toolNames()) {
            tools.add(Tool.fromToolSpec(ToolSpecification.builder().name(name).inputSchema(ToolInputSchema.fromJson(ANY_OBJECT)).build()));
        }
        return new ConverseMessages(system, messages, tools.isEmpty() ? null : ToolConfiguration.builder().tools(tools).build());
    }

    /** Converse's prompt caching: Anthropic Claude and Amazon Nova models; a cache point sent to another model is refused. */
    static boolean takesCachePoints(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        return m.contains("anthropic.claude") || m.contains("amazon.nova");
    }

    private static ContentBlock block(ConverseContext.Block b) {
        if (b.text() != null) {
            return ContentBlock.fromText(b.text());
        }
        if (b.image() != null) {
            return ContentBlock.fromImage(ImageBlock.builder().format(b.image().format())
                    .source(ImageSource.fromBytes(SdkBytes.fromByteArray(Base64.getDecoder().decode(b.image().source().bytes())))).build());
        }
        if (b.toolUse() != null) {
            return ContentBlock.fromToolUse(ToolUseBlock.builder().toolUseId(b.toolUse().toolUseId()).name(b.toolUse().name())
                    .input(document(b.toolUse().input())).build());
        }
        if (b.toolResult() != null) {
            List<ToolResultContentBlock> content = new ArrayList<>();
            for (ConverseContext.ResultText t : b.toolResult().content()) {
                content.add(ToolResultContentBlock.fromText(t.text()));
            }
            return ContentBlock.fromToolResult(ToolResultBlock.builder().toolUseId(b.toolResult().toolUseId()).content(content)
                    .status(b.toolResult().status()).build());
        }
        return ContentBlock.fromCachePoint(CACHE_POINT);
    }

    /** Free-form JSON (tool arguments, as {@link dev.compactor.support.Json#parse} reads them) as an SDK document. */
    static Document document(Object value) {
        return switch (value) {
            case null -> Document.fromNull();
            case Map<?, ?> map -> {
                Map<String, Document> out = new LinkedHashMap<>();
                map.forEach((k, v) -> out.put(String.valueOf(k), document(v)));
                yield Document.fromMap(out);
            }
            case List<?> list -> {
                List<Document> out = new ArrayList<>(list.size());
                for (Object v : list) {
                    out.add(document(v));
                }
                yield Document.fromList(out);
            }
            case String s -> Document.fromString(s);
            case Boolean bool -> Document.fromBoolean(bool);
            case Long l -> Document.fromNumber(l);
            case Double d -> Document.fromNumber(d);
            case BigInteger big -> Document.fromNumber(new BigDecimal(big));
            case BigDecimal dec -> Document.fromNumber(dec);
            case Number n -> Document.fromNumber(n.toString());
            default -> Document.fromString(String.valueOf(value));
        };
    }
}
