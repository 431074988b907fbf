package dev.compactor.compaction;

import dev.compactor.support.Sha256;

/**
 * Default summarisation prompts, one per mode. They follow the structure and word limits of
 * Letta's defaults (seven sections and 500 words when everything is summarised, five sections and
 * 300 words for a sliding window) in our own words.
 */
public final class Prompts {
    private Prompts() {}

    private static final String DETAIL_RULES = """
            Copy identifiers (file paths, URLs, numbers, ids, ticket and pull-request references) exactly \
            as written. Keep every id that was referenced unless it was clearly resolved, and do not drop \
            details that are likely to be needed later.""";

    public static final String ALL = """
            You are compacting a conversation between a user and an AI assistant so the assistant can keep \
            working after the earlier turns leave its context. Write a detailed summary of the whole \
            conversation so far. Concentrate on what the user explicitly asked for and what the assistant did \
            in response, and keep the technical detail (code, design decisions, commands) needed to carry on.

            Organise the summary under these headings:
            1. Goals: the user's overall objectives and the task in progress. If the transcript contains an \
            earlier summary, carry its goals forward.
            2. History: the requests, the assistant's actions and the progress made, in order. Fold any earlier \
            summary into this account in condensed form.
            3. Key details: files and code read or changed, plan documents, GitHub issues and pull requests, \
            Linear tickets and other references, each with a note on why it matters. %s
            4. Errors and fixes: problems met and how they were solved, including the user's feedback (quote it \
            where the wording matters).
            5. Current state: exactly what was being worked on most recently, with file names and short code \
            excerpts where useful. Give the latest messages the most weight.
            6. Next step (optional): only if it follows directly from the user's most recent explicit request; if \
            the task is finished, there is none unless the user asked for more. Quote the messages that show \
            where the work stopped.
            7. Lookup hints: topics and keywords for details that did not fit, so they can be found again in \
            the full history.

            Write in the first person, as the assistant's own factual record. Be concise but complete, stay \
            under 500 words, and reply with the summary only.""".formatted(DETAIL_RULES);

    public static final String SLIDING = """
            The transcript below holds the oldest messages of a conversation between a user and an AI \
            assistant. They are being removed from the start of the assistant's context window, and your \
            summary will sit ahead of the newer messages that remain, as their background.

            Summarise the removed messages under these headings:
            1. Goals: the user's overall objectives and the task in progress, including goals carried by any \
            earlier summary in the transcript.
            2. History: the requests, the assistant's actions and the progress made, in order; condense any \
            earlier summary into it.
            3. Key details: files, code, plans, issues, pull requests and tickets that came up, each with why it \
            matters. %s
            4. Errors and fixes: problems met and how they were solved, including the user's feedback.
            5. Lookup hints: topics and keywords for details that did not fit, so they can be found again in \
            the full history.

            Write in the first person, as the assistant's own factual record. Be thorough but stay under 300 \
            words, and reply with the summary only.""".formatted(DETAIL_RULES);

    public static final String SELF_SLIDING = """
            Pause the conversation here. The earlier messages of this conversation are about to be removed \
            from your context, and a summary written by you will stand in for them ahead of the recent \
            messages. Write that summary now.

            Do not continue the conversation, do not answer any question that appears in the messages, and do \
            not call any tool. All five sections are required:
            1. Goals: the user's overall objectives and the task in progress, including goals from any earlier \
            summary.
            2. History: the requests, your actions and the progress made, in order; condense any earlier \
            summary into it.
            3. Key details: files, code, plans, issues, pull requests and tickets, each with why it matters. %s
            4. Errors and fixes: problems met and how they were solved, including the user's feedback.
            5. Lookup hints: topics and keywords for details that did not fit.

            Stay under 300 words. Reminder: no tool calls; reply with a plain-text summary that follows the \
            sections above.""".formatted(DETAIL_RULES);

    public static final String SELF_ALL = """
            Pause the conversation here. Everything said so far is about to be removed from your context, \
            and a summary written by you will replace it. Write that summary now, concentrating on what the \
            user explicitly asked for and what you did, with the technical detail needed to carry on.

            Do not continue the conversation, do not answer any question that appears in the messages, and do \
            not call any tool. All seven sections are required:
            1. Goals: the user's overall objectives and the task in progress, including goals from any earlier \
            summary.
            2. History: the requests, your actions and the progress made, in order; condense any earlier \
            summary into it.
            3. Key details: files and code read or changed, plans, issues, pull requests and tickets, each with \
            why it matters. %s
            4. Errors and fixes: problems met and how they were solved, including the user's feedback.
            5. Current state: exactly what you were working on most recently, with file names and short code \
            excerpts where useful.
            6. Next step (optional): only if it follows directly from the user's most recent explicit request, \
            with quotes showing where the work stopped.
            7. Lookup hints: topics and keywords for details that did not fit.

            Stay under 500 words. Reminder: no tool calls; reply with a plain-text summary that follows the \
            sections above.""".formatted(DETAIL_RULES);

    /** The assistant turn added when {@code prompt_acknowledgement} is on. */
    public static final String ACKNOWLEDGEMENT = "Understood. Once you send me the conversation history I will reply "
            + "with its summary and nothing else. Ready when you are.";

    /** Self-compaction appends this as the assistant's turn when the span does not end with one. */
    public static final String SELF_COMPACT_ASSISTANT_TURN = "Understood. I will now write a summary of our "
            + "conversation so far.";

    public static String forMode(CompactionMode mode) {
        return switch (mode) {
            case ALL -> ALL;
            case SLIDING_WINDOW -> SLIDING;
            case SELF_COMPACT_ALL -> SELF_ALL;
            case SELF_COMPACT_SLIDING_WINDOW -> SELF_SLIDING;
        };
    }

    /** Whether the prompt is one of the defaults (so a mode fallback may swap it for another default). */
    public static boolean isDefault(String prompt) {
        return prompt == null || prompt.equals(ALL) || prompt.equals(SLIDING) || prompt.equals(SELF_ALL)
                || prompt.equals(SELF_SLIDING);
    }

    /** Short stable fingerprint of a prompt, kept with each summary's lineage. */
    public static String hash(String prompt) {
        return Sha256.hex(prompt).substring(0, 16);
    }
}
