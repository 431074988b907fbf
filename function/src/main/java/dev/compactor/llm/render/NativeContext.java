package dev.compactor.llm.render;

/**
 * A conversation's context in each vendor's own request structure, ready to send as-is (the
 * caller adds the model, tools and sampling parameters). The rules every vendor shares are in
 * {@link Exchange}: calls only with their results, pending approvals and reasoning left out,
 * results without their call as user text. Rendering is a pure function of its input: the same
 * parts give the same records and the same JSON bytes, so two contexts that share their first
 * messages render to requests that agree up to the first message that differs.
 */
public final class NativeContext {
    private NativeContext() {}

    /** Chat Completions {@code messages}. */
    public static OpenAiChatContext openAi(ContextParts parts) {
        return OpenAiChatContext.render(parts);
    }

    /** Responses {@code instructions} and {@code input}. */
    public static ResponsesInput openAiResponses(ContextParts parts) {
        return ResponsesInput.render(parts);
    }

    /** Anthropic Messages {@code system} and {@code messages}. */
    public static AnthropicContext anthropic(ContextParts parts) {
        return AnthropicContext.render(parts);
    }

    /** Bedrock Converse {@code system} and {@code messages}. */
    public static ConverseContext bedrock(ContextParts parts) {
        return ConverseContext.render(parts);
    }

    /** Gemini {@code systemInstruction} and {@code contents}. */
    public static GeminiContext gemini(ContextParts parts) {
        return GeminiContext.render(parts);
    }
}
