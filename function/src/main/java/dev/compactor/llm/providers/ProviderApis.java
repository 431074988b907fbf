package dev.compactor.llm.providers;

import dev.compactor.llm.ModelApi;
import dev.compactor.llm.ModelApis;
import dev.compactor.llm.ProviderEnv;
import dev.compactor.llm.bedrock.BedrockConverseApi;
import dev.compactor.llm.http.AnthropicMessagesApi;
import dev.compactor.llm.http.GeminiApi;
import dev.compactor.llm.http.HttpEndpoint;
import dev.compactor.llm.http.HttpProvider;
import dev.compactor.llm.http.HttpTransport;
import dev.compactor.llm.http.OpenAiChatApi;
import dev.compactor.llm.http.OpenAiResponsesApi;
import dev.compactor.support.SharedHttpClient;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Which adapter speaks to which provider. Every adapter shares the {@link SharedHttpClient}, built
 * when the first of them is created, so a Bedrock-only container loads none of the HTTP dialects.
 */
public final class ProviderApis implements ModelApis {
    /**
     * How this deployment reaches Bedrock.
     *
     * @param endpoint the endpoint override, or null for AWS's regional endpoint
     */
    public record BedrockAccess(String region, URI endpoint, AwsCredentialsProvider credentials) {}

    private final ProviderEnv env;
    private final BedrockAccess bedrock;

    public ProviderApis(ProviderEnv env, BedrockAccess bedrock) {
        this.env = env;
        this.bedrock = bedrock;
    }

    @Override
    public ModelApi create(String key) {
        return switch (key) {
            case "bedrock" -> BedrockConverseApi.create(SharedHttpClient.get(), bedrock.region(), bedrock.endpoint(), bedrock.credentials());
            case "anthropic", "moonshot_coding", "minimax" -> new AnthropicMessagesApi(httpProvider(key));
            case "google_ai" -> GeminiApi.googleAi(env, transport());
            case "google_vertex" -> GeminiApi.vertex(env, transport());
            case "chatgpt_oauth" -> new OpenAiResponsesApi(httpProvider(key));
            case "openai/responses" -> new OpenAiResponsesApi(httpProvider("openai"));
            default -> new OpenAiChatApi(httpProvider(key));
        };
    }

    private HttpProvider httpProvider(String provider) {
        return new HttpProvider(HttpEndpoint.ALL.get(provider), env, transport());
    }

    private static HttpTransport transport() {
        return new HttpTransport(SharedHttpClient.get());
    }
}
