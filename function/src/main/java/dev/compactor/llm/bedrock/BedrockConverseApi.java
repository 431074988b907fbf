package dev.compactor.llm.bedrock;

import dev.compactor.conversation.ModelSettings;
import dev.compactor.llm.LlmException;
import dev.compactor.llm.ModelApi;
import dev.compactor.llm.ModelReply;
import dev.compactor.llm.PromptLayout;
import dev.compactor.llm.ProviderErrors;
import dev.compactor.llm.SummaryRequest;
import dev.compactor.llm.TokenUsage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;

/**
 * Amazon Bedrock through the SDK's {@code bedrockruntime} Converse API, for any model id,
 * inference profile id or ARN. Outputs that may run long ({@link #STREAM_ABOVE_TOKENS}) use
 * ConverseStream, so tokens keep flowing over the connection instead of one response arriving
 * at the end; shorter ones use Converse. Both run on the SDK's async client over the JDK HTTP
 * client ({@link JdkAsyncHttpClient}); the SDK's own retries are off because {@link
 * dev.compactor.llm.Retrier} retries within the request's deadline. A self-compaction sends the
 * agent's context as {@code toolUse}/{@code toolResult} blocks with {@code cachePoint}s after the
 * system prompt and the last kept block (see {@link ConverseMessages}).
 */
public final class BedrockConverseApi implements ModelApi {
    /** A 4096-token answer takes about half a minute at Haiku's speed; longer ones stream. */
    public static final int STREAM_ABOVE_TOKENS = 4096;
    private static final String PROVIDER = "bedrock";

    private final BedrockRuntimeAsyncClient client;

    BedrockConverseApi(BedrockRuntimeAsyncClient client) {
        this.client = client;
    }

    /**
     * @param endpoint {@code AWS_ENDPOINT_URL_BEDROCK_RUNTIME} (or {@code AWS_ENDPOINT_URL}), or null for AWS's
     */
    public static BedrockConverseApi create(HttpClient http, String region, URI endpoint, AwsCredentialsProvider credentials) {
        var builder = BedrockRuntimeAsyncClient.builder()
                .httpClient(new JdkAsyncHttpClient(http))
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return new BedrockConverseApi(builder.build());
    }

    @Override
    public ModelReply send(SummaryRequest request, ModelSettings settings, Instant deadline) {
        ConverseMessages prompt = request.context() != null ? ConverseMessages.of(request.context(), request.model().model())
                : simple(PromptLayout.of(request, true));
        InferenceConfiguration.Builder inference = InferenceConfiguration.builder().maxTokens(settings.outputLimit());
        if (settings.temperature() != null) {
            inference.temperature(settings.temperature().floatValue());
        }
        Duration timeout = Duration.between(Instant.now(), deadline);
        String model = request.model().model();
        return settings.outputLimit() > STREAM_ABOVE_TOKENS
                ? stream(model, prompt, inference.build(), timeout, deadline)
                : converse(model, prompt, inference.build(), timeout, deadline);
    }

    private static ConverseMessages simple(PromptLayout layout) {
        List<Message> messages = new ArrayList<>();
        for (PromptLayout.Turn turn : layout.turns()) {
            messages.add(Message.builder().role("assistant".equals(turn.role()) ? ConversationRole.ASSISTANT : ConversationRole.USER)
                    .content(ContentBlock.fromText(turn.text())).build());
        }
        return new ConverseMessages(layout.system() == null ? null : List.of(SystemContentBlock.fromText(layout.system())), messages, null);
    }

    private ModelReply converse(String model, ConverseMessages prompt, InferenceConfiguration inference, Duration timeout,
                                Instant deadline) {
        ConverseResponse response = await(client.converse(r -> r.modelId(model).system(prompt.system()).messages(prompt.messages())
                .toolConfig(prompt.toolConfig()).inferenceConfig(inference).overrideConfiguration(o -> o.apiCallTimeout(timeout))), deadline);
        StringBuilder text = new StringBuilder();
        if (response.output() != null && response.output().message() != null) {
            for (ContentBlock block : response.output().message().content()) {
                if (block.text() != null) {
                    text.append(block.text());
                }
            }
        }
        var usage = response.usage();
        return new ModelReply(text.toString(), stop(response.stopReasonAsString()), usage == null ? TokenUsage.NONE
                : usage(usage.inputTokens(), usage.outputTokens(), usage.cacheReadInputTokens(), usage.cacheWriteInputTokens()));
    }

    private ModelReply stream(String model, ConverseMessages prompt, InferenceConfiguration inference, Duration timeout,
                              Instant deadline) {
        StringBuffer text = new StringBuffer();
        AtomicReference<String> stopReason = new AtomicReference<>();
        AtomicReference<TokenUsage> usage = new AtomicReference<>(TokenUsage.NONE);
        ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                .subscriber(ConverseStreamResponseHandler.Visitor.builder()
                        .onContentBlockDelta(e -> {
                            if (e.delta() != null && e.delta().text() != null) {
                                text.append(e.delta().text());
                            }
                        })
                        .onMessageStop(e -> stopReason.set(e.stopReasonAsString()))
                        .onMetadata(e -> {
                            var u = e.usage();
                            if (u != null) {
                                usage.set(usage(u.inputTokens(), u.outputTokens(), u.cacheReadInputTokens(), u.cacheWriteInputTokens()));
                            }
                        })
                        .build())
                .build();
        await(client.converseStream(r -> r.modelId(model).system(prompt.system()).messages(prompt.messages())
                .toolConfig(prompt.toolConfig()).inferenceConfig(inference)
                .overrideConfiguration(o -> o.apiCallTimeout(timeout)), handler), deadline);
        if (stopReason.get() == null) {
            throw ProviderErrors.incompleteStream(PROVIDER);
        }
        return new ModelReply(text.toString(), stop(stopReason.get()), usage.get());
    }

    private static ModelReply.Stop stop(String reason) {
        if ("max_tokens".equals(reason)) {
            return ModelReply.Stop.MAX_TOKENS;
        }
        if ("content_filtered".equals(reason) || "guardrail_intervened".equals(reason)) {
            return ModelReply.Stop.FILTERED;
        }
        if ("model_context_window_exceeded".equals(reason)) {
            throw new LlmException(LlmException.Kind.CONTEXT_WINDOW_EXCEEDED, PROVIDER,
                    "bedrock stopped: the input exceeds the model's context window");
        }
        return ModelReply.Stop.COMPLETE;
    }

    private static TokenUsage usage(Integer input, Integer output, Integer cacheRead, Integer cacheWrite) {
        return new TokenUsage(orZero(input), orZero(output), orZero(cacheRead), orZero(cacheWrite));
    }

    private static long orZero(Integer value) {
        return value == null ? 0 : value;
    }

    private static <T> T await(CompletableFuture<T> call, Instant deadline) {
        try {
            return call.get(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new LlmException(LlmException.Kind.TIMEOUT, PROVIDER, "bedrock did not answer in time", e, true, null);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new LlmException(LlmException.Kind.TIMEOUT, PROVIDER, "interrupted while waiting for bedrock", e, true, null);
        } catch (ExecutionException e) {
            throw translate(e.getCause());
        }
    }

    /** The SDK's exceptions in Letta's categories. */
    static LlmException translate(Throwable failure) {
        if (failure instanceof LlmException llm) {
            return llm;
        }
        if (failure instanceof ApiCallTimeoutException || failure instanceof ApiCallAttemptTimeoutException) {
            return new LlmException(LlmException.Kind.TIMEOUT, PROVIDER, "bedrock did not answer in time", failure, true, null);
        }
        if (failure instanceof ModelNotReadyException e) {
            return new LlmException(LlmException.Kind.OVERLOADED, PROVIDER, "bedrock: " + e.awsErrorDetails().errorMessage(), e, true, null);
        }
        if (failure instanceof ModelStreamErrorException e) {
            return new LlmException(LlmException.Kind.PROVIDER_ERROR, PROVIDER, "bedrock's stream failed: "
                    + e.awsErrorDetails().errorMessage(), e, true, null);
        }
        if (failure instanceof AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
            return ProviderErrors.fromStatus(PROVIDER, statusOf(e, code), code, message, null);
        }
        if (failure instanceof SdkClientException) {
            return hasIoCause(failure) ? ProviderErrors.connection(PROVIDER, failure)
                    : ProviderErrors.malformed(PROVIDER, failure.getMessage(), failure);
        }
        return new LlmException(LlmException.Kind.PROVIDER_ERROR, PROVIDER, "bedrock call failed: " + failure.getClass().getSimpleName(),
                failure, false, null);
    }

    /**
     * The SDK wraps both broken connections and unreadable answers in client exceptions; only the
     * first is worth a retry. The JSON parser's errors are IOExceptions too, so only the JDK's own
     * (sockets, the HTTP client) count as connection failures.
     */
    private static boolean hasIoCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException && t.getClass().getName().startsWith("java.")) {
                return true;
            }
        }
        return false;
    }

    /** Exceptions inside an event stream may carry no HTTP status; their error code says what they are. */
    private static int statusOf(AwsServiceException e, String code) {
        if (e.statusCode() > 0) {
            return e.statusCode();
        }
        String c = code == null ? "" : code.toLowerCase(Locale.ROOT);
        return c.startsWith("throttling") ? 429
                : c.startsWith("serviceunavailable") ? 503
                : c.startsWith("validation") ? 400
                : c.startsWith("accessdenied") ? 403
                : c.startsWith("modeltimeout") ? 408
                : 500;
    }
}
