package dev.compactor.conversation;

import java.util.UUID;
import java.util.regex.Pattern;

/** Letta's id formats: {@code <prefix>-<uuid4>} with lower-case hex. */
public final class Ids {
    static final String UUID4 = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
    /** Letta's {@code ConversationIdOrDefault} pattern for the compact route's path. */
    public static final String CONVERSATION_ID_OR_DEFAULT = "^(default|conv-" + UUID4 + "|agent-" + UUID4 + ")$";
    private static final Pattern CONVERSATION_OR_DEFAULT = Pattern.compile(CONVERSATION_ID_OR_DEFAULT);
    /** Letta's {@code AgentId} path pattern. */
    public static final String AGENT_ID = "^agent-" + UUID4 + "$";
    /** Letta's {@code ConversationId} path pattern. */
    public static final String CONVERSATION_ID = "^conv-" + UUID4 + "$";
    private static final Pattern CONVERSATION = Pattern.compile(CONVERSATION_ID);
    private static final Pattern AGENT = Pattern.compile(AGENT_ID);
    /** Letta's {@code MessageId} pattern. */
    public static final String MESSAGE_ID = "^message-" + UUID4 + "$";
    /** An asynchronous compaction job's id. */
    public static final String JOB_ID = "^job-" + UUID4 + "$";
    private static final Pattern JOB = Pattern.compile(JOB_ID);
    /** Letta caps the path id at {@code len("agent") + 1 + 36}. */
    public static final int MAX_CONVERSATION_ID_LENGTH = 42;

    private Ids() {}

    public static String newMessageId() {
        return "message-" + UUID.randomUUID();
    }

    public static String newAgentId() {
        return "agent-" + UUID.randomUUID();
    }

    public static String newConversationId() {
        return "conv-" + UUID.randomUUID();
    }

    public static String newJobId() {
        return "job-" + UUID.randomUUID();
    }

    public static boolean isJobId(String id) {
        return id != null && JOB.matcher(id).matches();
    }

    public static boolean isConversationIdOrDefault(String id) {
        return id != null && id.length() <= MAX_CONVERSATION_ID_LENGTH && CONVERSATION_OR_DEFAULT.matcher(id).matches();
    }

    public static boolean isConversationId(String id) {
        return id != null && CONVERSATION.matcher(id).matches();
    }

    public static boolean isAgentId(String id) {
        return id != null && AGENT.matcher(id).matches();
    }
}
