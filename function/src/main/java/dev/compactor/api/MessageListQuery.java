package dev.compactor.api;

import dev.compactor.conversation.HistoryQuery;
import dev.compactor.conversation.Message;
import dev.compactor.input.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The query parameters Letta's two message lists share (a conversation's and an agent's):
 * {@code before}/{@code after} message-id cursors, {@code limit}, {@code order} ({@code desc} by
 * default), {@code order_by}, {@code include_err} (accepted, ignored), and
 * {@code include_return_message_types}, which keeps only the entries of the listed kinds. As in
 * Letta, the filter applies to the rendered page, so a page may hold fewer entries than
 * {@code limit}.
 *
 * @param types the kinds to keep, or null for every kind
 */
record MessageListQuery(HistoryQuery history, Set<String> types) {
    static final long DEFAULT_LIMIT = 100;
    static final long MAX_LIMIT = 1000;

    /** Reads the parameters; their errors are collected in {@code fields}. */
    static MessageListQuery parse(QueryParams query, Fields fields) {
        String before = query.string("before");
        String after = query.string("after");
        long limit = query.integer("limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        String order = query.literal("order", List.of("asc", "desc"), "desc");
        query.literal("order_by", List.of("created_at"), "created_at");
        query.checkBool("include_err");
        List<String> types = query.enumList("include_return_message_types", LettaMessages.MESSAGE_TYPES);
        return new MessageListQuery(new HistoryQuery(after, before, (int) limit, "asc".equals(order)),
                types == null ? null : Set.copyOf(types));
    }

    /** The page's messages as Letta's list entries, filtered by kind. */
    List<LettaMessages.LettaMessage> render(List<Message> page) {
        List<LettaMessages.LettaMessage> out = new ArrayList<>(page.size());
        for (Message m : page) {
            for (LettaMessages.LettaMessage entry : LettaMessages.render(m)) {
                if (types == null || types.contains(LettaMessages.type(entry))) {
                    out.add(entry);
                }
            }
        }
        return out;
    }
}
