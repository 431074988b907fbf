package dev.compactor.llm;

import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.Message;
import dev.compactor.llm.render.ContextParts;
import dev.compactor.support.Log;
import java.nio.charset.StandardCharsets;

/**
 * Checks a provider's token counts before anything is billed on them: none negative (OpenAI and
 * Gemini report cached tokens inside the prompt count, so a cached count above the prompt shows
 * up as negative uncached input), input no more than the request could have held, output no more
 * than the limit the request set. The bounds are generous (a token is at least a byte in every
 * tokenizer the providers use; twice the bytes plus room for the chat template), so only figures
 * that cannot be true fail. Failed figures are replaced by {@link TokenUsage#rejected}: the call is
 * recorded with no tokens and no price, flagged with the reason, and the figures are logged.
 */
final class UsageCheck {
    static final String NEGATIVE = "negative_count";
    static final String INPUT_ABOVE_REQUEST = "input_above_request";
    static final String OUTPUT_ABOVE_LIMIT = "output_above_limit";
    /** Room for chat templates, tool schemas' wrapping and per-message framing. */
    private static final long INPUT_SLACK = 4096;
    private static final long PER_MESSAGE_SLACK = 16;
    /**
     * What one image sent natively (self-compaction) may count as: the vendors' largest per-image
     * figures (a high-detail OpenAI image, Anthropic's 1.15-megapixel cap) stay under it.
     */
    private static final long IMAGE_ALLOWANCE = 8192;
    /** Room for reasoning some providers count beside the output limit (Gemini's thinking budget). */
    private static final long OUTPUT_SLACK = 65_536;

    private UsageCheck() {}

    static TokenUsage check(String provider, SummaryRequest request, int maxOutputTokens, TokenUsage reported) {
        String reason = reason(request, maxOutputTokens, reported);
        if (reason == null) {
            return reported;
        }
        Log.warn("llm.usage_rejected", "provider", provider, "model", request.model().toString(), "reason", reason,
                "input_tokens", reported.inputTokens(), "output_tokens", reported.outputTokens(),
                "cache_read_tokens", reported.cacheReadTokens(), "cache_write_tokens", reported.cacheWriteTokens());
        return TokenUsage.rejected(reason);
    }

    private static String reason(SummaryRequest request, int maxOutputTokens, TokenUsage u) {
        if (u.inputTokens() < 0 || u.outputTokens() < 0 || u.cacheReadTokens() < 0 || u.cacheWriteTokens() < 0) {
            return NEGATIVE;
        }
        long bound = inputBound(request);
        if (u.inputTokens() > bound || u.cacheReadTokens() > bound || u.cacheWriteTokens() > bound
                || u.inputTokens() + u.cacheReadTokens() + u.cacheWriteTokens() > bound) {
            return INPUT_ABOVE_REQUEST;
        }
        if (u.outputTokens() > (long) Math.max(0, maxOutputTokens) + OUTPUT_SLACK) {
            return OUTPUT_ABOVE_LIMIT;
        }
        return null;
    }

    /** The most input tokens the request could have been counted as. */
    static long inputBound(SummaryRequest request) {
        long bytes = utf8(request.system());
        for (ChatMessage m : request.messages()) {
            bytes += utf8(m.text());
            for (ChatMessage.Call call : m.toolCalls()) {
                bytes += utf8(call.id()) + utf8(call.name()) + utf8(call.arguments());
            }
        }
        return 2 * bytes + INPUT_SLACK + PER_MESSAGE_SLACK * request.messages().size() + IMAGE_ALLOWANCE * images(request.context());
    }

    /** Images a native rendering may send: {@code messages} holds only their text markers. */
    private static long images(ContextParts context) {
        long images = 0;
        if (context != null) {
            for (Message m : context.messages()) {
                for (ContentPart p : m.content()) {
                    if (p instanceof ContentPart.Image) {
                        images++;
                    }
                }
            }
        }
        return images;
    }

    private static long utf8(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }
}
