package dev.compactor.llm.render;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gemini's {@code systemInstruction} and {@code contents}: roles {@code user} and {@code model},
 * strictly alternating and opening with the user's; parts {@code text}, {@code inlineData}
 * (inline bytes only; a URL image is Letta's text marker), {@code functionCall} and
 * {@code functionResponse} (the result as {@code {"output": …}}, or {@code {"error": …}} for a
 * failed call, in the user's turn). Gemini caches prefixes implicitly, so there are no cache marks.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GeminiContext(Content systemInstruction, List<Content> contents) {

    public GeminiContext {
        contents = List.copyOf(contents);
    }

    /** @param role {@code user} or {@code model}; null for the system instruction */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Content(String role, List<Part> parts) {}

    /** One part: exactly one member is set. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Part(String text, InlineData inlineData, FunctionCall functionCall, FunctionResponse functionResponse) {
        public static Part text(String text) {
            return new Part(text, null, null, null);
        }
    }

    public record InlineData(String mimeType, String data) {}

    /** @param args the call's arguments: free-form JSON */
    public record FunctionCall(String id, String name, Map<String, Object> args) {}

    /** @param response {@code {"output": text}} or {@code {"error": text}} */
    public record FunctionResponse(String id, String name, Map<String, Object> response) {}

    static GeminiContext render(ContextParts parts) {
        Exchange exchange = Exchange.of(parts);
        Content system = exchange.system() == null ? null : new Content(null, List.of(Part.text(exchange.system())));
        List<Content> contents = new ArrayList<>();
        for (Exchange.Entry turn : exchange.alternating()) {
            List<Part> out = new ArrayList<>(turn.blocks().size());
            for (Exchange.Block b : turn.blocks()) {
                out.add(part(b));
            }
            contents.add(new Content(turn.speaker() == Exchange.Speaker.ASSISTANT ? "model" : "user", out));
        }
        return new GeminiContext(system, contents);
    }

    private static Part part(Exchange.Block b) {
        return switch (b) {
            case Exchange.Text t -> Part.text(t.text());
            case Exchange.Image i -> i.image().inline() ? new Part(null, new InlineData(i.image().mediaType(), i.image().data()), null, null)
                    : Part.text(Texts.IMAGE_HERE);
            case Exchange.Call c -> new Part(null, null, new FunctionCall(c.id(), c.name(), Arguments.object(c.arguments())), null);
            case Exchange.Result r -> {
                Map<String, Object> response = new LinkedHashMap<>();
                response.put(r.error() ? "error" : "output", r.text() == null ? "" : r.text());
                yield new Part(null, null, null, new FunctionResponse(r.callId(), r.name(), response));
            }
        };
    }
}
