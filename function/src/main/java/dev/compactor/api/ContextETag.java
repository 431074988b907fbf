package dev.compactor.api;

import dev.compactor.conversation.ConversationHead;

/**
 * The entity tag of a conversation's context. The context is a pointer (generation, context start,
 * summary) plus messages that are never rewritten, so the generation — bumped by every compaction
 * and revert — and the last sequence number identify it; reading them takes only the head.
 */
final class ContextETag {
    private ContextETag() {}

    static String of(ConversationHead head) {
        return "\"" + head.compactionGen() + "." + (head.nextSeq() - 1) + "\"";
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
