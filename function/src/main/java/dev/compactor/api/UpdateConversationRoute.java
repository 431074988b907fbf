package dev.compactor.api;

import dev.compactor.conversation.Agent;
import dev.compactor.conversation.AgentNotFoundException;
import dev.compactor.conversation.AgentStore;
import dev.compactor.conversation.ConversationDirectory;
import dev.compactor.conversation.ConversationFields;
import dev.compactor.conversation.ConversationHead;
import dev.compactor.conversation.ConversationNotFoundException;
import dev.compactor.conversation.MessageStore;

/**
 * {@code PATCH /v1/conversations/{conversation_id}}: Letta's {@code UpdateConversation}
 * ({@link ConversationBody}); only the fields sent change. A new {@code context_window_limit}
 * or {@code model} moves the conversation's scheduled-compaction thresholds at once.
 */
final class UpdateConversationRoute implements Route {
    private final AgentStore agents;
    private final MessageStore conversations;
    private final ConversationDirectory directory;

    UpdateConversationRoute(AgentStore agents, MessageStore conversations, ConversationDirectory directory) {
        this.agents = agents;
        this.conversations = conversations;
        this.directory = directory;
    }

    @Override
    public ApiResponse handle(ApiRequest request, RequestContext context) {
        String conversationId = PathIds.conversationId(request);
        ConversationBody.Patch patch = ConversationBody.read(Bodies.optionalObject(request.body()), true);
        ConversationHead head = conversations.findConversation(context.tenant(), conversationId)
                .orElseThrow(() -> new ConversationNotFoundException(conversationId));
        Agent agent = agents.findAgent(context.tenant(), head.agentId()).orElseThrow(() -> new AgentNotFoundException(head.agentId()));
        ConversationFields fields = patch.applyTo(head.fields(), context.startedAt());
        directory.updateConversation(context.tenant(), conversationId, fields, fields.over(agent));
        return ApiResponse.json(200, ConversationView.of(conversations.snapshot(context.tenant(), conversationId)));
    }
}
