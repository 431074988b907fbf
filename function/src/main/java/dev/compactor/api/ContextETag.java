package dev.compactor.api;

import dev.compactor.conversation.ConversationHead;

/**
 * The entity tag of a conversation's context answer. The context is a pointer (generation, context
 * start, summary) plus messages that are never rewritten, so the generation — bumped by every
 * compaction and revert — and the last sequence number identify the messages. The answer also
 * shows the context window and the due threshold, which a PATCH of the conversation's
 * {@code context_window_limit} (or of its agent) changes without touching the messages, so they
 * are part of the tag too. All four are on the head: reading it is all a 304 takes.
 */
final class ContextETag {
    private ContextETag() {}

    static String of(ConversationHead head) {
        return "\"" + head.compactionGen() + "." + (head.nextSeq() - 1) + "." + head.contextWindow() + "." + head.dueThreshold() + "\"";
    }

    /** {@code If-None-Match} against {@code etag}: a list of tags or {@code *}, compared weakly as RFC 9110 says for it. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || (tag.startsWith("W/") ? tag.substring(2) : tag).equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
