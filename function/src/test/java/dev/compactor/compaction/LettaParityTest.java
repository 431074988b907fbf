package dev.compactor.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.compaction.CompactorTest.ScriptedSummarizer;
import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.ToolCall;
import dev.compactor.input.FieldError;
import dev.compactor.input.Fields;
import dev.compactor.llm.ChatMessage;
import dev.compactor.llm.LlmException;
import dev.compactor.llm.ModelCatalog;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.SummaryRequest;
import dev.compactor.support.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Letta's behaviour cases (reference §9: 1–27 and 45–51; 32–38 are endpoint cases, in infra's
 * {@code LettaEndpointParityTest}), restated for our API and decisions, with a scripted summarizer.
 * Where we decided differently from Letta (DESIGN §5) the test says so.
 */
class LettaParityTest {
    static final ModelHandle SUMMARIZER = CompactorTest.SUMMARIZER;
    static final ModelHandle AGENT = CompactorTest.AGENT;
    static final int CW = 128_000;
    static final String SUFFIX = "... [summary truncated to fit]";

    private static CompactionSettings settings(String json) {
        Fields fields = new Fields();
        CompactionSettings s = SettingsParser.parse(Json.tree(json), List.of("body", "compaction_settings"), fields);
        assertThat(fields.errors()).isEmpty();
        return s;
    }

    private static Compactor.Input input(List<Message> context, CompactionSettings settings, ModelHandle summarizer,
                                         int contextWindow, String trigger) {
        return new Compactor.Input(context, settings, summarizer, AGENT, contextWindow, "UTC", trigger,
                Instant.now().plusSeconds(30));
    }

    private static Compactor.Outcome compact(ScriptedSummarizer s, List<Message> context, CompactionSettings settings) {
        return compact(s, context, settings, CW);
    }

    private static Compactor.Outcome compact(ScriptedSummarizer s, List<Message> context, CompactionSettings settings, int cw) {
        ModelHandle summarizer = new ModelChoice(null).summarizer(settings, AGENT.toString());
        return new Compactor(h -> s, MessageTokens.approximate(), CompactorTest.CLOCK)
                .compact(input(context, settings, summarizer, cw, "manual"));
    }

    /** The context after the compaction: system, the summary message, the kept suffix. */
    private static List<Role> rolesAfter(Compactor.Outcome o) {
        List<Role> roles = new ArrayList<>();
        roles.add(o.plan().context().get(0).role());
        roles.add(Role.SUMMARY);
        o.plan().kept().forEach(m -> roles.add(m.role()));
        return roles;
    }

    private static String transcript(SummaryRequest r) {
        return r.messages().get(r.messages().size() - 1).text();
    }

    private static LlmException cwe() {
        return new LlmException(LlmException.Kind.CONTEXT_WINDOW_EXCEEDED, "anthropic", "prompt is too long");
    }

    // 1. A fresh conversation (only the system message) has nothing to compact: Letta either fails or
    // pays for a summary of nothing and then answers 400; we answer the 400 before any model call.
    @Test
    void case01_freshConversationIsNothingToCompactInEveryMode() {
        for (String mode : CompactionMode.WIRE_NAMES) {
            ScriptedSummarizer s = new ScriptedSummarizer();
            assertThatThrownBy(() -> compact(s, new Messages().system("sys").build(), settings("{\"mode\":\"" + mode + "\"}")))
                    .as(mode).isInstanceOf(NothingToCompactException.class);
            assertThat(s.requests).as(mode).isEmpty();
        }
    }

    // 2. A two-message chat summarised by an Anthropic model (streaming is the adapter's business,
    // issue 5): the default sliding window has no usable cut, so it runs as `all`; the summary is
    // what the model said, stripped.
    @Test
    void case02_twoMessageChatIsSummarisedByTheNamedModel() {
        List<Message> m = new Messages().system("sys")
                .user("I'm planning a trip to Paris in April with a $200 budget for museums.")
                .assistant("Great! Visit the Louvre and a cafe in Le Marais.").build();
        ScriptedSummarizer s = new ScriptedSummarizer().then("  The user plans a Paris trip in April: museums, a cafe, $200.  ");

        Compactor.Outcome o = compact(s, m, settings("{\"model\":\"anthropic/claude-haiku-4-5\"}"));

        assertThat(s.requests).singleElement().satisfies(r -> {
            assertThat(r.model()).isEqualTo(new ModelHandle("anthropic", "claude-haiku-4-5"));
            assertThat(transcript(r)).contains("[user] I'm planning a trip to Paris", "[assistant] Great! Visit the Louvre");
        });
        assertThat(o.summary()).isEqualTo("The user plans a Paris trip in April: museums, a cafe, $200.");
        assertThat(o.plan().mode()).isEqualTo(CompactionMode.ALL);
        assertThat(rolesAfter(o)).containsExactly(Role.SYSTEM, Role.SUMMARY);
    }

    // 3. Two system messages: nothing a summary could shorten (Letta: success or "No assistant message
    // found"; we: Letta's 400, no model call).
    @Test
    void case03_twoSystemMessagesAreNothingToCompact() {
        for (String mode : CompactionMode.WIRE_NAMES) {
            ScriptedSummarizer s = new ScriptedSummarizer();
            assertThatThrownBy(() -> compact(s, new Messages().system("a").system("b").build(), settings("{\"mode\":\"" + mode + "\"}")))
                    .as(mode).isInstanceOf(NothingToCompactException.class);
            assertThat(s.requests).isEmpty();
        }
    }

    // 4. Five messages starting with a user message: index 0 takes the system slot whatever its role.
    @Test
    void case04_theFirstMessageTakesTheSystemSlotWhateverItsRole() {
        List<Message> m = new Messages().user("u0").assistant("a1").user("u2").assistant("a3").user("u4").build();

        ScriptedSummarizer sliding = new ScriptedSummarizer();
        // Letta's cut is index 1, which keeps 4 of 5 messages plus a summary: Letta pays for a summary
        // of nothing and answers 400; we answer the same 400 first.
        assertThatThrownBy(() -> compact(sliding, m, settings("{}"))).isInstanceOf(NothingToCompactException.class);
        assertThat(sliding.requests).isEmpty();

        ScriptedSummarizer all = new ScriptedSummarizer();
        Compactor.Outcome o = compact(all, m, settings("{\"mode\":\"all\"}"));
        assertThat(o.plan().context().get(0).id()).isEqualTo(m.get(0).id());
        assertThat(rolesAfter(o)).containsExactly(Role.USER, Role.SUMMARY);
        assertThat(transcript(all.requests.get(0))).doesNotContain("u0").contains("[assistant] a1", "[user] u4");
    }

    // 5. One ~50 000-character tool return (assistant text + tool call, then its result).
    @Test
    void case05_aHugeToolReturnIsSummarisedInFullOnTheFirstAttempt() {
        String huge = "row ".repeat(12_500);
        Messages b = new Messages().system("sys").user("dump the table")
                .call("Fetching it.", "call_dump", "dump_table", "{\"name\":\"orders\"}").tool("call_dump", huge)
                .assistant("The table has 12500 rows.");
        for (int i = 1; i <= 5; i++) {
            b.user("follow-up " + i).assistant("reply " + i);
        }
        List<Message> m = b.build();

        for (String mode : List.of("all", "sliding_window")) {
            ScriptedSummarizer s = new ScriptedSummarizer();
            Compactor.Outcome o = compact(s, m, settings("{\"mode\":\"" + mode + "\"}"));
            assertThat(transcript(s.requests.get(0))).as(mode).contains("[tool] " + huge.strip());
            assertThat(o.plan().numAfter()).as(mode).isLessThan(m.size());
            assertThat(o.plan().kept()).allSatisfy(k -> assertThat(k.role()).isNotNull());
            assertThat(o.summary()).isNotBlank();
        }
    }

    // 6. Two ~25 000-character tool returns in sequence.
    @Test
    void case06_twoLargeToolReturnsInSequence() {
        String big = "x".repeat(25_000);
        List<Message> m = new Messages().system("sys").user("read both")
                .call(null, null, new ToolCall("c1", "read", "{\"f\":\"a.txt\"}"), new ToolCall("c2", "read", "{\"f\":\"b.txt\"}"))
                .toolReturns("c1", big).toolReturns("c2", big).assistant("Both read.").user("thanks").assistant("welcome")
                .build();
        ScriptedSummarizer s = new ScriptedSummarizer();

        Compactor.Outcome o = compact(s, m, settings("{\"mode\":\"all\"}"));

        assertThat(transcript(s.requests.get(0))).contains("-> read({\"f\":\"a.txt\"}), read({\"f\":\"b.txt\"})")
                .contains("[tool] " + big + "\n[tool] " + big);
        assertThat(rolesAfter(o)).containsExactly(Role.SYSTEM, Role.SUMMARY);
    }

    // 7. Mode matrix on 10 pairs with the agent's own model named: the `all` modes leave
    // [system, summary]; the sliding modes leave more, starting [system, summary].
    @Test
    void case07_modeMatrix() {
        List<Message> m = Messages.pairs(10).build();
        for (String mode : CompactionMode.WIRE_NAMES) {
            ScriptedSummarizer s = new ScriptedSummarizer();
            Compactor.Outcome o = compact(s, m, settings("{\"mode\":\"" + mode + "\",\"model\":\"" + AGENT + "\"}"));
            assertThat(o.plan().mode().wire()).as(mode).isEqualTo(mode);
            assertThat(o.summary()).isNotBlank();
            if (mode.contains("sliding")) {
                assertThat(rolesAfter(o)).as(mode).hasSizeGreaterThan(2).startsWith(Role.SYSTEM, Role.SUMMARY);
            } else {
                assertThat(rolesAfter(o)).as(mode).containsExactly(Role.SYSTEM, Role.SUMMARY);
            }
            assertThat(s.requests).allSatisfy(r -> assertThat(r.model()).isEqualTo(AGENT));
        }
    }

    // 8. The summary message of an automatic compaction is a system_alert whose stats describe the
    // event (Letta's automatic path); the compact route's carries no stats and the wording without
    // counts (Letta's compact routes pass no trigger).
    @Test
    void case08_automaticSummariesCarryTheirStatsTheCompactRoutesDoNot() {
        List<Message> m = Messages.pairs(10).build();
        Compactor.Outcome scheduled = new Compactor(h -> new ScriptedSummarizer().then("Summary text."), MessageTokens.approximate(),
                CompactorTest.CLOCK).compact(input(m, settings("{\"mode\":\"all\"}"), AGENT, CW, "scheduled"));

        Map<String, Object> alert = Json.parseObject(scheduled.packedText());
        assertThat(alert).containsEntry("type", "system_alert").containsKeys("message", "time", "compaction_stats");
        SummaryPackager.Stats stats = SummaryPackager.extractStats(scheduled.packedText());
        assertThat(stats.trigger()).isEqualTo("scheduled");
        assertThat(stats.contextWindow()).isEqualTo(CW);
        assertThat(stats.contextTokensBefore()).isPositive();
        assertThat(SummaryPackager.unpack(scheduled.packedText()).summary()).isEqualTo("Summary text.");

        Compactor.Outcome slidingScheduled = new Compactor(h -> new ScriptedSummarizer(), MessageTokens.approximate(),
                CompactorTest.CLOCK).compact(input(m, settings("{}"), AGENT, CW, "scheduled"));
        assertThat(SummaryPackager.unpack(slidingScheduled.packedText()).message()).startsWith("Note: "
                + (slidingScheduled.plan().numBefore() - slidingScheduled.plan().numAfter())
                + " messages from the beginning of the conversation have been hidden from view due to memory constraints.\n");
    }

    @Test
    void case08b_theCompactRoutesSummaryIsLettasWithoutStats() {
        List<Message> m = Messages.pairs(10).build();
        Compactor.Outcome sliding = compact(new ScriptedSummarizer().then("Summary text."), m, settings("{}"));
        Compactor.Outcome all = compact(new ScriptedSummarizer().then("Summary text."), m, settings("{\"mode\":\"all\"}"));

        assertThat(Json.parseObject(sliding.packedText())).containsOnlyKeys("type", "message", "time");
        assertThat(SummaryPackager.unpack(sliding.packedText()).message()).isEqualTo("Note: prior messages from the beginning of "
                + "the conversation have been hidden from view due to conversation memory constraints.\n"
                + "The following is a summary of the previous messages:\n Summary text.");
        assertThat(Json.parseObject(all.packedText())).containsOnlyKeys("type", "message", "time");
        assertThat(SummaryPackager.unpack(all.packedText()).message()).isEqualTo("Note: prior messages have been hidden from view "
                + "due to conversation memory constraints.\nThe following is a summary of the previous messages:\n Summary text.");
        assertThat(SummaryPackager.extractStats(sliding.packedText())).isNull();
    }

    // 9. Mode `all` with the summary role: the compacted context is exactly [system, summary].
    @Test
    void case09_allModeLeavesExactlySystemAndSummary() {
        Compactor.Outcome o = compact(new ScriptedSummarizer(), Messages.pairs(10).build(), settings("{\"mode\":\"all\"}"));

        assertThat(rolesAfter(o)).containsExactly(Role.SYSTEM, Role.SUMMARY);
        assertThat(o.plan().numAfter()).isEqualTo(2);
    }

    // 10. The compaction model and its settings reach the summarizer; the agent's model is untouched.
    @Test
    void case10_modelAndModelSettingsReachTheSummarizer() {
        CompactionSettings cs = settings("""
                {"model": "openai/gpt-5-mini", "mode": "all", "sliding_window_percentage": 0.3, "clip_chars": 2000,
                 "prompt": "Summarise tersely.", "prompt_acknowledgement": true,
                 "model_settings": {"provider_type": "openai", "max_output_tokens": 4321, "temperature": 0.05,
                                    "reasoning": {"reasoning_effort": "high"}}}""");
        ScriptedSummarizer s = new ScriptedSummarizer();
        ModelHandle agent = new ModelHandle("openai", "gpt-4o-mini");

        new Compactor(h -> s, MessageTokens.approximate(), CompactorTest.CLOCK).compact(new Compactor.Input(
                Messages.pairs(3).build(), cs, new ModelChoice(null).summarizer(cs, agent.toString()), agent, CW, "UTC",
                "manual", Instant.now().plusSeconds(30)));

        SummaryRequest r = s.requests.get(0);
        assertThat(r.model()).isEqualTo(new ModelHandle("openai", "gpt-5-mini"));
        assertThat(r.modelSettings().maxOutputTokens()).isEqualTo(4321L);
        assertThat(r.modelSettings().temperature()).isEqualTo(0.05);
        assertThat(r.system()).isEqualTo("Summarise tersely.");
        assertThat(r.clipChars()).isEqualTo(2000);
        assertThat(r.messages()).extracting(ChatMessage::role).containsExactly("assistant", "user");
    }

    // 11. [system, user, assistant] in the default sliding mode: the only cut is the last message, so it
    // runs as `all` — one summary, [system, summary] (Letta's hard-eviction regression).
    @Test
    void case11_threeMessagesFallBackToAllWithOneSummary() {
        ScriptedSummarizer s = new ScriptedSummarizer();

        Compactor.Outcome o = compact(s, new Messages().system("sys").user("hi").assistant("hello").build(), settings("{}"));

        assertThat(s.requests).hasSize(1);
        assertThat(rolesAfter(o)).containsExactly(Role.SYSTEM, Role.SUMMARY);
        assertThat(o.summary()).isNotBlank();
    }

    // 12. 65 messages, sliding window at 0.3: the cut is index 26, leaving 41 messages.
    @Test
    void case12_sixtyFiveMessagesCutAtTwentySix() {
        List<Message> m = Messages.pairs(32).build();
        ScriptedSummarizer s = new ScriptedSummarizer();

        Compactor.Outcome o = compact(s, m, settings("{\"mode\":\"sliding_window\",\"sliding_window_percentage\":0.3}"));

        assertThat(o.plan().keptFrom()).isEqualTo(26);
        assertThat(o.plan().numAfter()).isEqualTo(41);
        assertThat(o.plan().span()).isEqualTo(m.subList(1, 26));
        assertThat(transcript(s.requests.get(0))).startsWith("<start_transcript>\n[user] question 1\n")
                .contains("[user] question 13\n<end_transcript>");
    }

    // 13. The same in self_compact_sliding_window: the agent's model reads M[0:26] then the prompt.
    @Test
    void case13_selfSlidingWindowOnSixtyFiveMessages() {
        List<Message> m = Messages.pairs(32).build();
        ScriptedSummarizer s = new ScriptedSummarizer();

        Compactor.Outcome o = compact(s, m, settings("{\"mode\":\"self_compact_sliding_window\"}"));

        assertThat(o.plan().keptFrom()).isEqualTo(26);
        assertThat(o.plan().numAfter()).isEqualTo(41);
        SummaryRequest r = s.requests.get(0);
        assertThat(r.model()).isEqualTo(AGENT);
        assertThat(r.messages()).hasSize(26 + 2);
        assertThat(r.messages().get(0).role()).isEqualTo("system");
        assertThat(r.messages().get(26).text()).isEqualTo(Prompts.SELF_COMPACT_ASSISTANT_TURN);
        assertThat(r.messages().get(27).text()).isEqualTo(Prompts.SELF_SLIDING);
    }

    // 14. `all` with clip_chars 2000 and a longer summary: the first 2000 characters and Letta's suffix.
    @Test
    void case14_clipCharsCutsTheSummaryWithLettasSuffix() {
        ScriptedSummarizer s = new ScriptedSummarizer().then("s".repeat(3000));

        Compactor.Outcome o = compact(s, Messages.pairs(10).build(), settings("{\"mode\":\"all\",\"clip_chars\":2000}"));

        assertThat(o.summary()).hasSize(2000 + SUFFIX.length()).endsWith(SUFFIX).startsWith("s".repeat(2000));
        assertThat(o.gates().notTruncated().clippedToClipChars()).isTrue();
    }

    // 15. self_compact_all on 10 pairs: everything but the system message is replaced.
    @Test
    void case15_selfCompactAllOnTenPairs() {
        ScriptedSummarizer s = new ScriptedSummarizer().then("t".repeat(6000));

        Compactor.Outcome o = compact(s, Messages.pairs(10).build(), settings("{\"mode\":\"self_compact_all\",\"clip_chars\":5000}"));

        assertThat(rolesAfter(o)).containsExactly(Role.SYSTEM, Role.SUMMARY);
        assertThat(o.summary()).hasSize(5000 + SUFFIX.length());
        assertThat(s.requests.get(0).messages().get(s.requests.get(0).messages().size() - 1).text()).isEqualTo(Prompts.SELF_ALL);
    }

    // 16. self_compact_all whose summary fails still compacts, through self_compact_sliding_window.
    @Test
    void case16_selfCompactAllFailureFallsBackToSelfSliding() {
        ScriptedSummarizer s = new ScriptedSummarizer().then(new LlmException(LlmException.Kind.PROVIDER_ERROR, "openai", "boom"))
                .then("from the sliding window");

        Compactor.Outcome o = compact(s, Messages.pairs(10).build(), settings("{\"mode\":\"self_compact_all\"}"));

        assertThat(o.plan().mode()).isEqualTo(CompactionMode.SELF_COMPACT_SLIDING_WINDOW);
        assertThat(o.summary()).isEqualTo("from the sliding window");
        assertThat(o.plan().numAfter()).isLessThan(21);
        assertThat(o.fallbacks()).singleElement().asString().startsWith("self_compact_all: boom");
    }

    static final Instant NOW = Instant.parse("2025-12-18T06:14:30Z");

    // 17. Packaging with stats.
    @Test
    void case17_packagingWithStats() {
        SummaryPackager.Stats stats = new SummaryPackager.Stats("post_step_context_check", 50_000L, 15_000L, 128_000, 45, 12);

        String packed = SummaryPackager.pack("The summary.", CompactionMode.ALL, "UTC", NOW, stats);

        Map<String, Object> alert = Json.parseObject(packed);
        assertThat(alert).containsEntry("type", "system_alert");
        assertThat((String) alert.get("message")).contains("The summary.");
        assertThat(SummaryPackager.extractStats(packed)).isEqualTo(stats);
    }

    // 18. Packaging without stats: no compaction_stats key.
    @Test
    void case18_packagingWithoutStats() {
        Map<String, Object> alert = Json.parseObject(SummaryPackager.pack("s", CompactionMode.ALL, "UTC", NOW, null));

        assertThat(alert).containsOnlyKeys("type", "message", "time");
    }

    // 19. Stats extracted from packed JSON.
    @Test
    void case19_statsFromPackedJson() {
        SummaryPackager.Stats stats = new SummaryPackager.Stats("context_window_exceeded", 100_000L, 30_000L, 128_000, 50, 15);

        assertThat(SummaryPackager.extractStats(SummaryPackager.pack("s", CompactionMode.SLIDING_WINDOW, "UTC", NOW, stats)))
                .isEqualTo(stats);
    }

    // 20-22. No stats, not JSON, empty, or stats missing required fields: null.
    @Test
    void case20to22_missingOrInvalidStatsAreNull() {
        assertThat(SummaryPackager.extractStats(SummaryPackager.pack("s", CompactionMode.ALL, "UTC", NOW, null))).isNull();
        assertThat(SummaryPackager.extractStats("not valid json")).isNull();
        assertThat(SummaryPackager.extractStats("")).isNull();
        assertThat(SummaryPackager.extractStats("""
                {"type": "system_alert", "message": "m", "compaction_stats": {"trigger": "post_step_context_check",
                 "context_tokens_before": 1, "context_tokens_after": 1}}""")).isNull();
        assertThat(SummaryPackager.extractStats("""
                {"type": "system_alert", "message": "m", "compaction_stats": {"trigger": "t", "context_window": 100,
                 "messages_count_before": 5}}""")).isNull();
    }

    // 23-24. Stats from a role=summary message, with and without.
    @Test
    void case23to24_statsFromASummaryMessage() {
        SummaryPackager.Stats stats = new SummaryPackager.Stats("manual", null, 900L, 8_000, 30, 9);
        Message with = Message.text(Role.SUMMARY, SummaryPackager.pack("s", CompactionMode.ALL, "UTC", NOW, stats));
        Message without = Message.text(Role.SUMMARY, SummaryPackager.pack("s", CompactionMode.ALL, "UTC", NOW, null));

        assertThat(SummaryPackager.extractStats(with)).isEqualTo(stats);
        assertThat(SummaryPackager.extractStats(without)).isNull();
    }

    // 25-26. A stored summary read back (Letta's summary_message form of it): the text
    // and the stats when there are any; an old summary without stats keeps its text.
    @Test
    void case25to26_storedSummariesReadBack() {
        SummaryPackager.Stats stats = new SummaryPackager.Stats("manual", 10L, 5L, 8_000, 30, 9);

        SummaryPackager.Unpacked withStats = SummaryPackager.unpack(SummaryPackager.pack("New facts.", CompactionMode.ALL, "UTC", NOW, stats));
        SummaryPackager.Unpacked old = SummaryPackager.unpack(SummaryPackager.pack("Old facts.", CompactionMode.ALL, "UTC", NOW, null));

        assertThat(withStats.summary()).isEqualTo("New facts.");
        assertThat(withStats.stats()).isEqualTo(stats);
        assertThat(old.summary()).isEqualTo("Old facts.");
        assertThat(old.stats()).isNull();
        assertThat(old.message()).startsWith("Note: prior messages have been hidden");
    }

    // 27. Stats embedded by a compaction: trigger, tokens before and after, the agent's window, counts.
    @Test
    void case27_compactionEmbedsItsStats() {
        List<Message> m = Messages.pairs(10).build();
        ScriptedSummarizer s = new ScriptedSummarizer();
        CompactionSettings cs = settings("{\"mode\":\"all\"}");

        Compactor.Outcome o = new Compactor(h -> s, MessageTokens.approximate(), CompactorTest.CLOCK)
                .compact(input(m, cs, SUMMARIZER, 64_000, "post_step_context_check"));

        SummaryPackager.Stats stats = SummaryPackager.extractStats(o.packedText());
        assertThat(stats.trigger()).isEqualTo("post_step_context_check");
        assertThat(stats.contextTokensBefore()).isEqualTo(o.plan().tokensBefore());
        assertThat(stats.contextTokensAfter()).isNotNull().isEqualTo(o.plan().tokensAfter());
        assertThat(stats.messagesCountBefore()).isEqualTo(m.size());
        assertThat(stats.messagesCountAfter()).isEqualTo(o.plan().numAfter()).isEqualTo(2);
        assertThat(stats.contextWindow()).isEqualTo(64_000);
    }

    // 45. Mode/prompt merge: a different mode without a prompt takes that mode's default; the same mode
    // keeps the stored prompt; a sent prompt wins.
    @Test
    void case45_promptFollowsTheMergeRules() {
        CompactionSettings stored = settings("{\"mode\":\"all\",\"prompt\":\"stored prompt\"}");
        List<Message> m = Messages.pairs(10).build();

        assertThat(systemPromptFor(m, CompactionSettings.merge(stored, settings("{\"mode\":\"sliding_window\"}"))))
                .isEqualTo(Prompts.SLIDING);
        assertThat(systemPromptFor(m, CompactionSettings.merge(stored, settings("{\"mode\":\"all\"}")))).isEqualTo("stored prompt");
        assertThat(systemPromptFor(m, CompactionSettings.merge(stored, settings("{\"mode\":\"sliding_window\",\"prompt\":\"mine\"}"))))
                .isEqualTo("mine");
        assertThat(systemPromptFor(m, CompactionSettings.merge(null, settings("{\"mode\":\"all\"}")))).isEqualTo(Prompts.ALL);
    }

    private static String systemPromptFor(List<Message> m, CompactionSettings cs) {
        ScriptedSummarizer s = new ScriptedSummarizer();
        compact(s, m, cs);
        return s.requests.get(0).system();
    }

    // 46. Percentages: 1.5 is a 422 for us (Letta silently runs `all`); 0.9 is accepted when the cut
    // meets the goal (Letta always falls back); 1.0 can never meet its goal of 0 tokens, so it runs as `all`.
    @Test
    void case46_percentageBounds() {
        Fields fields = new Fields();
        assertThat(SettingsParser.parse(Json.tree("{\"sliding_window_percentage\":1.5}"), List.of("body", "compaction_settings"), fields))
                .isNull();
        assertThat(fields.errors()).extracting(FieldError::type).containsExactly("less_than_equal");

        List<Message> m = Messages.pairs(10).user("more").build();
        Compactor.Outcome high = compact(new ScriptedSummarizer(), m, settings("{\"sliding_window_percentage\":0.9}"));
        assertThat(high.plan().mode()).isEqualTo(CompactionMode.SLIDING_WINDOW);
        assertThat(high.plan().keptFrom()).isEqualTo(20);

        Compactor.Outcome full = compact(new ScriptedSummarizer(), m, settings("{\"sliding_window_percentage\":1.0}"));
        assertThat(full.plan().mode()).isEqualTo(CompactionMode.ALL);
        assertThat(full.fallbacks()).singleElement().asString().contains("No assistant message found");
    }

    // 47. A pending approval at the end in mode `all`: kept with its same-step assistant message.
    @Test
    void case47_pendingApprovalIsKeptWithItsSameStepAssistant() {
        List<Message> same = Messages.pairs(3).assistant("I need approval to delete it", "step-9")
                .approvalRequest("step-9", new ToolCall("call_1", "delete_file", "{\"path\":\"/tmp/x\"}")).build();
        List<Message> other = Messages.pairs(3).assistant("earlier", "step-1")
                .approvalRequest("step-2", new ToolCall("call_1", "delete_file", "{}")).build();

        Compactor.Outcome o1 = compact(new ScriptedSummarizer(), same, settings("{\"mode\":\"all\"}"));
        Compactor.Outcome o2 = compact(new ScriptedSummarizer(), other, settings("{\"mode\":\"all\"}"));

        assertThat(rolesAfter(o1)).containsExactly(Role.SYSTEM, Role.SUMMARY, Role.ASSISTANT, Role.APPROVAL);
        assertThat(rolesAfter(o2)).containsExactly(Role.SYSTEM, Role.SUMMARY, Role.APPROVAL);
    }

    // 48. A sliding window whose only valid cut is the last message runs as `all`.
    @Test
    void case48_onlyCutAtTheEndFallsBackToAll() {
        List<Message> m = new Messages().system("sys").user("a").user("b").user("c").assistant("d").build();

        Compactor.Outcome o = compact(new ScriptedSummarizer(), m, settings("{}"));

        assertThat(o.plan().mode()).isEqualTo(CompactionMode.ALL);
        assertThat(o.fallbacks()).singleElement().asString().contains("index 4 is at the end of the message buffer");
    }

    // 49. A summary longer than clip_chars is stored and returned clipped (code points).
    @Test
    void case49_clippedSummaryIsWhatIsStoredAndReturned() {
        Compactor.Outcome o = compact(new ScriptedSummarizer().then("abcdefghij"), Messages.pairs(5).build(),
                settings("{\"mode\":\"all\",\"clip_chars\":4}"));

        assertThat(o.summary()).isEqualTo("abcd" + SUFFIX);
        assertThat(SummaryPackager.unpack(o.packedText()).summary()).isEqualTo("abcd" + SUFFIX);
    }

    // 50. Context-window errors: retry with tool results clamped to 5000 characters, then with the
    // transcript's middle cut to the byte budget; if that fails too, the error is Letta's 400.
    @Test
    void case50_contextWindowFallbacksThenTheError() {
        // Fallback B's byte budget is 60% of the summarizer's window at 4 bytes a token, minus the prompt.
        CompactionSettings all = settings("{\"mode\":\"all\"}");
        long budget = (long) (ModelCatalog.contextWindow(new ModelChoice(null).summarizer(all, AGENT.toString())) * 0.6 * 4);
        List<Message> m = new Messages().system("sys").user("p".repeat((int) budget + 100_000)).call("run", "c1", "run", "{}")
                .tool("c1", "r".repeat(9_000)).assistant("done").build();
        ScriptedSummarizer s = new ScriptedSummarizer().then(cwe()).then(cwe()).then("finally");

        Compactor.Outcome o = compact(s, m, all);

        assertThat(o.summary()).isEqualTo("finally");
        assertThat(transcript(s.requests.get(0))).contains("r".repeat(9_000));
        assertThat(transcript(s.requests.get(1))).contains("r".repeat(5_000) + "... [truncated 4000 chars]");
        assertThat(transcript(s.requests.get(2))).contains("[TRUNCATED: dropped ").contains(" middle chars due to context budget]");
        assertThat(transcript(s.requests.get(2)).length()).isLessThan((int) budget);

        ScriptedSummarizer failing = new ScriptedSummarizer().then(cwe()).then(cwe()).then(cwe());
        assertThatThrownBy(() -> compact(failing, m, settings("{\"mode\":\"all\"}"))).isInstanceOf(LlmException.class)
                .extracting(e -> ((LlmException) e).kind()).isEqualTo(LlmException.Kind.CONTEXT_WINDOW_EXCEEDED);
    }

    // 51. In a sliding mode a context-window error after both fallbacks propagates: no `all` fallback.
    @Test
    void case51_slidingDoesNotFallBackOnContextWindowErrors() {
        ScriptedSummarizer s = new ScriptedSummarizer().then(cwe()).then(cwe()).then(cwe());

        assertThatThrownBy(() -> compact(s, Messages.pairs(10).build(), settings("{}"))).isInstanceOf(LlmException.class);
        assertThat(s.requests).hasSize(3).allSatisfy(r -> assertThat(r.system()).isEqualTo(Prompts.SLIDING));
    }

    // Ours: a summary cut by the model's output limit is a failed attempt (sliding falls back to `all`).
    @Test
    void truncatedOutputIsAFailedAttempt() {
        ScriptedSummarizer s = new ScriptedSummarizer()
                .then(new LlmException(LlmException.Kind.TRUNCATED_OUTPUT, "anthropic", "stopped at max_tokens"))
                .then("complete");

        Compactor.Outcome o = compact(s, Messages.pairs(10).build(), settings("{}"));

        assertThat(o.plan().mode()).isEqualTo(CompactionMode.ALL);
        assertThat(o.summary()).isEqualTo("complete");
    }

    // Reference §2.4: images become placeholders, system messages are left out, reasoning is never shown.
    @Test
    void transcriptShowsImagesAsPlaceholdersAndSkipsSystemAndReasoning() {
        Message image = new Message("message-img", 1, Role.USER, List.of(new ContentPart.Text("look"),
                new ContentPart.Image(Map.of("type", "image")), new ContentPart.Image(Map.of("type", "image"))),
                null, null, null, null, null, null, null, null, null, null);
        Message reasoning = new Message("message-r", 2, Role.ASSISTANT, List.of(new ContentPart.Other("reasoning",
                Map.of("type", "reasoning", "reasoning", "secret thoughts")), new ContentPart.Text("It is a cat.")),
                null, null, null, null, null, null, null, null, null, null);
        List<Message> span = List.of(Message.text(Role.SYSTEM, "sys"), image, reasoning);

        assertThat(Transcript.render(Transcript.turns(span, null))).isEqualTo("""
                <start_transcript>
                [user] look [2 images omitted]
                [assistant] It is a cat.
                <end_transcript>
                . Generate the summary.""");
    }
}
