package dev.compactor.local.command;

import dev.compactor.conversation.Ids;
import java.io.PrintStream;

/** {@code seed}: the sample agent and a conversation with the sample session; prints the conversation id. */
public final class SeedCommand {
    private SeedCommand() {}

    public static int run(Args args, PrintStream stdout, FunctionLogs logs) {
        String conversationId = args.get("--conversation-id", Ids.newConversationId());
        String agentId = args.get("--agent-id", Seeder.SAMPLE_AGENT_ID);
        if (!conversationId.startsWith("conv-") || !Ids.isConversationIdOrDefault(conversationId)) {
            throw new Args.UsageException("--conversation-id must look like conv-<uuid4>");
        }
        if (!Ids.isAgentId(agentId)) {
            throw new Args.UsageException("--agent-id must look like agent-<uuid4>");
        }
        try (LocalRuntime runtime = LocalRuntime.start(args.path("--data"), args.path("--template"), System.getenv())) {
            String function = runtime.functionFor("POST", "/v1/conversations/{conversation_id}/compact");
            Seeder.Seeded seeded = Seeder.seed(runtime.services(function).store(), agentId, conversationId,
                    args.get("--agent-model", "local/extractive"), args.integer("--context-window", Seeder.CONTEXT_WINDOW));
            logs.console().println("seeded " + seeded.messages() + " messages for agent " + seeded.agentId());
            stdout.println(seeded.conversationId());
        }
        return 0;
    }
}
