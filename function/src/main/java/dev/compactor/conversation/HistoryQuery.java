package dev.compactor.conversation;

/**
 * One page of a conversation's history, in Letta's cursor terms: {@code after} and {@code before}
 * are message ids, meaning "following" and "preceding" in the requested order. With only
 * {@code before}, the page is the {@code limit} entries closest to it. Unknown cursors are
 * ignored, as Letta ignores them.
 */
public record HistoryQuery(String after, String before, int limit, boolean ascending) {}
