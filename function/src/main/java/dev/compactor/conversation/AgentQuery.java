package dev.compactor.conversation;

/**
 * One page of Letta's agent list, by creation time then id. Cursors that name no agent of the
 * tenant are ignored, as Letta ignores them.
 *
 * @param after only agents after this one in {@code ascending} order, or null
 * @param before only agents before this one in {@code ascending} order, or null
 * @param name only agents with exactly this name, or null
 */
public record AgentQuery(int limit, String after, String before, boolean ascending, String name) {}
