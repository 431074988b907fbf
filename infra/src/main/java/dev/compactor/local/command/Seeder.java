package dev.compactor.local.command;

import dev.compactor.conversation.Agent;
import dev.compactor.conversation.ConversationStore;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.MessageStore;
import java.time.Instant;
import java.util.List;

/** Stores the sample agent and a conversation holding the sample session. */
public final class Seeder {
    public static final String TENANT = "local";
    /** Ids the files in events/ refer to. */
    public static final String SAMPLE_AGENT_ID = "agent-2d9e8f7a-6b5c-4d3e-9f1a-2b3c4d5e6f70";
    public static final String SAMPLE_CONVERSATION_ID = "conv-7f3c2a1e-5b4d-4c6e-8f9a-0b1c2d3e4f50";
    public static final int CONTEXT_WINDOW = 200_000;

    record Seeded(String agentId, String conversationId, int messages) {}

    private Seeder() {}

    public static Seeded seed(ConversationStore store, String agentId, String conversationId, String agentModel, int contextWindow) {
        Agent agent = store.findAgent(TENANT, agentId).orElseGet(() -> store.createAgent(TENANT,
                new Agent(agentId, "ferris", agentModel, contextWindow, SampleConversation.SYSTEM_PROMPT, "UTC", null, Instant.now())));
        store.createConversation(TENANT, agent, conversationId);
        List<Message> messages = SampleConversation.messages();
        for (int from = 0; from < messages.size(); from += MessageStore.MAX_APPEND) {
            store.append(TENANT, conversationId, messages.subList(from, Math.min(messages.size(), from + MessageStore.MAX_APPEND)));
        }
        return new Seeded(agent.id(), conversationId, messages.size() + 1);
    }
}
