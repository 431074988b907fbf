package dev.compactor.llm.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.compactor.llm.render.OpenAiChatContext;
import dev.compactor.support.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * For tests: a caller's Chat Completions {@code messages} bound to the OpenAI adapter's own wire
 * records ({@link OpenAiChatContext.Message} in {@link OpenAiChatApi.ChatRequest}), sent by the
 * adapter's transport, and the answer read as the adapter reads it. What a client of
 * {@code GET …/context?format=openai} does with the route's {@code request}, made with the
 * project's own OpenAI request model rather than a hand-built body.
 */
public final class ChatCompletionsCall {
    /** The function's mapper, plus reading a message's {@code content} (a string, or parts) into the adapter's sealed type. */
    private static final ObjectMapper READER = JsonMapper.MAPPER.copy().registerModule(new SimpleModule()
            .addDeserializer(OpenAiChatContext.Content.class, new JsonDeserializer<>() {
                @Override
                public OpenAiChatContext.Content deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                    JsonNode node = context.readTree(parser);
                    if (node.isTextual()) {
                        return new OpenAiChatContext.Text(node.textValue());
                    }
                    List<OpenAiChatContext.Part> parts = new ArrayList<>();
                    for (JsonNode part : node) {
                        parts.add(context.readTreeAsValue(part, OpenAiChatContext.Part.class));
                    }
                    return new OpenAiChatContext.Parts(parts);
                }
            }));

    private ChatCompletionsCall() {}

    /** The adapter's records for {@code messages} (JSON text of a Chat Completions {@code messages} array). */
    public static List<OpenAiChatContext.Message> messages(String json) throws IOException {
        return List.of(READER.readValue(json, OpenAiChatContext.Message[].class));
    }

    /** Sends {@code messages} for {@code model} to {@code baseUrl}{@code /chat/completions}; answers the reply's text. */
    public static String send(URI baseUrl, String apiKey, String model, List<OpenAiChatContext.Message> messages) {
        OpenAiChatApi.ChatRequest body = new OpenAiChatApi.ChatRequest(model, messages, null, null, null, null, null, null);
        HttpClient client = HttpClient.newHttpClient();
        try {
            OpenAiChatApi.ChatCompletion answer = new HttpTransport(client).postJson("openai", URI.create(baseUrl + "/chat/completions"),
                    Map.of("Authorization", "Bearer " + apiKey), body, Instant.now().plusSeconds(20), OpenAiChatApi.ChatCompletion.class);
            return answer.choices().get(0).message().content();
        } finally {
            client.close();
        }
    }
}
