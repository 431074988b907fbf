package dev.compactor.llm.render;

import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.Snapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * What a vendor-native rendering reads: the system text, the summary as Letta places it (a user
 * turn right after the system prompt) and the in-context messages in order.
 *
 * @param system the system prompt, or null for none
 * @param summary the stored summary message's text (Letta's packed {@code system_alert}), or null
 * @param messages the messages after the summary; a {@code summary}-role message among them is
 *     rendered in place as a user turn, an extra {@code system} message joins the system text
 * @param cacheThrough index into {@code messages} of the last message whose rendering the caller
 *     will send again unchanged; a cache point follows it (and the system prompt) where the vendor
 *     takes explicit ones. -1 for none; {@code messages.size() - 1} covers them all.
 */
public record ContextParts(String system, String summary, List<Message> messages, int cacheThrough) {
    public static final int NO_CACHE_POINT = -1;

    public ContextParts {
        messages = List.copyOf(messages);
        if (cacheThrough < NO_CACHE_POINT || cacheThrough >= messages.size()) {
            throw new IllegalArgumentException("cacheThrough " + cacheThrough + " is outside the " + messages.size() + " messages");
        }
    }

    public static ContextParts of(String system, String summary, List<Message> messages) {
        return new ContextParts(system, summary, messages, NO_CACHE_POINT);
    }

    /** A stored context: the system message's text, the current summary's text, and the kept tail. */
    public static ContextParts of(Snapshot snapshot) {
        return of(snapshot.system() == null ? null : Texts.joined(snapshot.system().content()),
                snapshot.summary() == null ? null : Texts.joined(snapshot.summary().content()), snapshot.tail());
    }

    /**
     * A context as one list, the system message first (when there is one); a summary message in it
     * stays where it is.
     */
    public static ContextParts ofContext(List<Message> context) {
        if (!context.isEmpty() && context.get(0).role() == Role.SYSTEM) {
            return of(Texts.joined(context.get(0).content()), null, context.subList(1, context.size()));
        }
        return of(null, null, context);
    }

    /** The same parts with a cache point after {@code messages.get(index)} (and after the system prompt). */
    public ContextParts withCachePoint(int index) {
        return new ContextParts(system, summary, messages, index);
    }

    /** The same parts with {@code more} appended after the messages (not covered by the cache point). */
    public ContextParts followedBy(List<Message> more) {
        List<Message> all = new ArrayList<>(messages);
        all.addAll(more);
        return new ContextParts(system, summary, all, cacheThrough);
    }

    boolean cached() {
        return cacheThrough != NO_CACHE_POINT;
    }
}
