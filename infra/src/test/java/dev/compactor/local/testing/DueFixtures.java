package dev.compactor.local.testing;

import dev.compactor.conversation.Agent;
import dev.compactor.conversation.AgentCompactionSettings;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.Ids;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.llm.LlmException;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.Summarizer;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.TokenUsage;
import dev.compactor.local.command.Seeder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Agents and conversations of chosen sizes for the batch tests, and a summarizer that answers or fails by model. */
public final class DueFixtures {
    public static final String TENANT = Seeder.TENANT;
    public static final int CONTEXT_WINDOW = 10_000;
    /** A summarizer model whose every call fails as a provider outage. */
    public static final String BROKEN_MODEL = "openai/always-down";

    /** Summarizers standing in for the providers: a fixed summary, or an outage for {@link #BROKEN_MODEL}; calls counted. */
    public static final class Summaries implements Function<ModelHandle, Summarizer> {
        public final AtomicInteger calls = new AtomicInteger();

        @Override
        public Summarizer apply(ModelHandle handle) {
            return request -> {
                calls.incrementAndGet();
                if (handle.toString().equals(BROKEN_MODEL)) {
                    throw new LlmException(LlmException.Kind.PROVIDER_ERROR, handle.provider(), "the provider is down");
                }
                return new SummaryResult("The user reviewed deployment notes with the assistant.", SummaryResult.LLM, handle,
                        TokenUsage.NONE, 1);
            };
        }
    }

    private final ConversationStore store;

    public DueFixtures(ConversationStore store) {
        this.store = store;
    }

    /**
     * @param threshold the agent's own compaction threshold, or null for the deployment's
     * @param summarizerModel the model its stored settings name, or null for the deployment's
     */
    public Agent agent(String tenant, Double threshold, String summarizerModel) {
        return store.createAgent(tenant, new Agent(Ids.newAgentId(), "batch", "anthropic/claude-haiku-4-5", CONTEXT_WINDOW,
                "You review deployments.", "UTC", summarizerModel == null ? null : AgentCompactionSettings.defaultsWith(summarizerModel), Instant.now(),
                threshold, null));
    }

    /** A conversation of {@code agent} grown by user and assistant turns until its estimate reaches {@code tokens}. */
    public String conversation(String tenant, Agent agent, long tokens) {
        String id = Ids.newConversationId();
        store.createConversation(tenant, agent, id);
        grow(tenant, id, tokens);
        return id;
    }

    /** Appends turns until the conversation's estimate reaches {@code tokens} (at least one pair). */
    public void grow(String tenant, String conversationId, long tokens) {
        do {
            List<Message> turns = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                turns.add(Message.text(i % 2 == 0 ? Role.USER : Role.ASSISTANT,
                        "Deployment notes, part " + i + ": " + "the build passed and waits for sign-off. ".repeat(30)));
            }
            store.append(tenant, conversationId, turns);
        } while (store.findConversation(tenant, conversationId).orElseThrow().contextTokens() < tokens);
    }

    public long tokens(String tenant, String conversationId) {
        return store.findConversation(tenant, conversationId).orElseThrow().contextTokens();
    }
}
