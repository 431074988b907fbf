package dev.compactor.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.compaction.CompactorTest.ScriptedSummarizer;
import dev.compactor.conversation.ContentPart;
import dev.compactor.conversation.Message;
import dev.compactor.conversation.Role;
import dev.compactor.conversation.ToolCall;
import dev.compactor.llm.ModelHandle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of every compaction over random conversations with tool calls (single and parallel,
 * results in one or several messages), approvals (resolved, pending, answered but not yet run),
 * calls still waiting for results, reasoning-only turns and earlier summaries, in every mode, with
 * random token sizes, windows and percentages:
 *
 * <ul>
 *   <li>the result is system + summary + a suffix of the conversation;
 *   <li>no tool result is left without its call (unless the call was already gone before);
 *   <li>no pending approval is evicted, nor a call still waiting for its result;
 *   <li>the message count strictly shrinks, or the answer is Letta's 400 before any model call.
 * </ul>
 */
class CompactionPropertiesTest {
    static final ModelHandle SUMMARIZER = CompactorTest.SUMMARIZER;

    /** One generated conversation: the messages and the ids of the calls that must stay answered. */
    record Conversation(List<Message> messages) {
        @Override
        public String toString() {
            StringBuilder out = new StringBuilder();
            for (Message m : messages) {
                out.append(m.role().wire());
                if (!m.toolCalls().isEmpty()) {
                    out.append(m.toolCalls().stream().map(ToolCall::id).toList());
                }
                if (!Planner.resultIds(m).isEmpty()) {
                    out.append("->").append(Planner.resultIds(m));
                }
                out.append(' ');
            }
            return out.toString();
        }
    }

    @Provide
    Arbitrary<Conversation> conversations() {
        Arbitrary<List<Integer>> steps = Arbitraries.integers().between(0, 7).list().ofMaxSize(40);
        Arbitrary<Integer> ending = Arbitraries.integers().between(0, 5);
        Arbitrary<List<Integer>> sizes = Arbitraries.integers().between(1, 4000).list().ofMinSize(1).ofMaxSize(12);
        Arbitrary<Boolean> priorSummary = Arbitraries.of(true, false);
        return net.jqwik.api.Combinators.combine(steps, ending, sizes, priorSummary).as(CompactionPropertiesTest::build);
    }

    static Conversation build(List<Integer> steps, int ending, List<Integer> sizes, boolean priorSummary) {
        Messages b = new Messages().system("You are a coding agent.");
        if (priorSummary) {
            b.summary(SummaryPackager.pack("Earlier: fixed /src/App.java for ACME-12.", CompactionMode.ALL, "UTC",
                    Instant.EPOCH, null));
        }
        int call = 0;
        int step = 0;
        for (int code : steps) {
            step++;
            String s = "step-" + step;
            switch (code) {
                case 0, 1 -> b.user("request " + step);
                case 2 -> b.assistant("reply " + step, s);
                case 3 -> {
                    String id = "call_" + (++call);
                    b.call("running", s, new ToolCall(id, "run", "{\"n\":" + step + "}")).toolReturns(id, "ok " + step);
                }
                case 4 -> {
                    String a = "call_" + (++call);
                    String c = "call_" + (++call);
                    b.call(null, s, new ToolCall(a, "read", "{}"), new ToolCall(c, "grep", "{}"));
                    if (step % 2 == 0) {
                        b.toolReturns(a, "file", c, "match");
                    } else {
                        b.tool(a, "file").tool(c, "match");
                    }
                }
                case 5 -> {
                    String id = "call_" + (++call);
                    b.assistant("I need approval", s);
                    String request = b.nextId();
                    b.approvalRequest(s, new ToolCall(id, "delete", "{}")).approvalResponse(request, step % 3 != 0)
                            .toolReturns(id, "deleted").assistant("done " + step, s);
                }
                case 6 -> b.add(new Message(b.nextId(), b.size(), Role.ASSISTANT, List.of(new ContentPart.Other("reasoning",
                        Map.of("type", "reasoning", "reasoning", "thinking"))), null, null, null, s, null, null, null, null,
                        null, null));
                default -> b.user("more").assistant("sure", s);
            }
        }
        String s = "step-end";
        switch (ending) {
            case 1 -> b.approvalRequest(s, new ToolCall("call_pending", "deploy", "{}"));
            case 2 -> b.assistant("about to deploy", s).approvalRequest(s, new ToolCall("call_pending", "deploy", "{}"));
            case 3 -> b.call("checking", s, new ToolCall("call_open_a", "run", "{}"), new ToolCall("call_open_b", "run", "{}"))
                    .toolReturns("call_open_a", "partial");
            case 4 -> {
                String request = b.nextId();
                b.approvalRequest(s, new ToolCall("call_approved", "deploy", "{}")).approvalResponse(request, true);
            }
            default -> { }
        }
        List<Message> raw = b.build();
        List<Message> sized = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            sized.add(raw.get(i).withTokens(sizes.get(i % sizes.size())));
        }
        return new Conversation(sized);
    }

    @Provide
    Arbitrary<Double> percentages() {
        return Arbitraries.of(0.0, 0.1, 0.25, 0.3, 0.5, 0.75, 0.9, 1.0);
    }

    @Provide
    Arbitrary<Integer> windows() {
        return Arbitraries.of(2_000, 8_000, 32_000, 128_000);
    }

    @Property(tries = 600)
    void everyCompactionLeavesAValidShorterContextOrAnswers400(@ForAll("conversations") Conversation conversation,
                                                              @ForAll @IntRange(min = 0, max = 3) int modeIndex,
                                                              @ForAll("percentages") double percentage,
                                                              @ForAll("windows") int window) {
        List<Message> m = conversation.messages();
        CompactionMode mode = CompactionMode.values()[modeIndex];
        CompactionSettings d = CompactionSettings.defaults();
        CompactionSettings settings = new CompactionSettings(null, null, null, false, d.clipChars(), mode, percentage, Set.of("mode"));
        ScriptedSummarizer s = new ScriptedSummarizer();
        Compactor compactor = new Compactor(h -> s, MessageTokens.approximate(), CompactorTest.CLOCK);
        Compactor.Input input = new Compactor.Input(m, settings, SUMMARIZER, CompactorTest.AGENT, window, "UTC", "manual",
                Instant.now().plusSeconds(30));

        Compactor.Outcome o;
        try {
            o = compactor.compact(input);
        } catch (NothingToCompactException e) {
            assertThat(s.requests).as("400 before any model call").isEmpty();
            Statistics.collect("400");
            return;
        }
        Plan plan = o.plan();
        Statistics.collect(mode == plan.mode() ? "compacted as requested" : "compacted after a fallback");
        int n = m.size();
        assertThat(plan.numAfter()).as("count strictly shrinks").isLessThan(n);
        assertThat(plan.keptFrom()).isBetween(1, n);
        assertThat(plan.kept()).as("a suffix").isEqualTo(m.subList(plan.keptFrom(), n));
        assertThat(s.requests).isNotEmpty();

        Set<String> allCalls = new HashSet<>();
        m.forEach(x -> x.toolCalls().forEach(c -> allCalls.add(c.id())));
        Set<String> keptCalls = new HashSet<>();
        for (Message k : plan.kept()) {
            for (String id : Planner.resultIds(k)) {
                assertThat(!allCalls.contains(id) || keptCalls.contains(id)).as("result %s keeps its call", id).isTrue();
            }
            k.toolCalls().forEach(c -> keptCalls.add(c.id()));
        }
        Message last = m.get(n - 1);
        if (last.isApprovalRequest()) {
            assertThat(plan.kept()).as("pending approval kept").contains(last);
        }
        if (last.isApprovalResponse() && n >= 3 && m.get(n - 2).isApprovalRequest()) {
            assertThat(plan.kept()).as("answered approval kept with its request").contains(m.get(n - 2));
        }
        for (Message x : m.subList(1, plan.keptFrom())) {
            for (ToolCall c : x.toolCalls()) {
                assertThat(c.id()).as("no call still waiting for its result is summarised away")
                        .isNotIn("call_pending", "call_open_b", "call_approved");
            }
        }
        if (plan.mode().isSliding()) {
            assertThat(m.get(plan.keptFrom()).isValidCutoff()).as("sliding tail starts at a valid cut").isTrue();
        }
        assertThat(o.gates().passed()).isTrue();
        assertThat(o.gates().gate("tool_integrity").status()).isEqualTo(QualityGates.PASS);
    }

    @Property(tries = 300)
    void theDryRunPlansExactlyWhatTheCompactionDoes(@ForAll("conversations") Conversation conversation,
                                                   @ForAll @IntRange(min = 0, max = 3) int modeIndex,
                                                   @ForAll("percentages") double percentage,
                                                   @ForAll("windows") int window) {
        CompactionMode mode = CompactionMode.values()[modeIndex];
        CompactionSettings d = CompactionSettings.defaults();
        CompactionSettings settings = new CompactionSettings(null, null, null, false, d.clipChars(), mode, percentage, Set.of("mode"));
        ScriptedSummarizer s = new ScriptedSummarizer();
        Compactor compactor = new Compactor(h -> s, MessageTokens.approximate(), CompactorTest.CLOCK);
        Compactor.Input input = new Compactor.Input(conversation.messages(), settings, SUMMARIZER, CompactorTest.AGENT, window,
                "UTC", "manual", Instant.now().plusSeconds(30));

        Compactor.Preview preview;
        try {
            preview = compactor.preview(input);
        } catch (NothingToCompactException e) {
            try {
                compactor.compact(input);
            } catch (NothingToCompactException expected) {
                return;
            }
            throw new AssertionError("dry run said nothing to compact, the compaction compacted");
        }
        assertThat(s.requests).isEmpty();
        Compactor.Outcome o = compactor.compact(input);
        assertThat(preview.plan().mode()).isEqualTo(o.plan().mode());
        assertThat(preview.plan().keptFrom()).isEqualTo(o.plan().keptFrom());
        assertThat(preview.plan().tokensAfter()).isEqualTo(o.plan().tokensAfter());
    }

    @Property(tries = 200)
    void planningIsLinearInTheSenseThatItNeverRecountsAMessage(@ForAll @Size(min = 1, max = 300) List<@IntRange(min = 0, max = 7) Integer> steps) {
        Conversation c = build(steps, 0, List.of(10), false);
        int[] counted = new int[1];
        MessageTokens counting = new MessageTokens(new dev.compactor.tokens.TokenCounter() {
            @Override
            public int count(String text) {
                counted[0]++;
                return text.length();
            }

            @Override
            public String name() {
                return "counting";
            }
        });
        List<Message> uncached = c.messages().stream().map(x -> x.withStorage(x.id(), x.seq(), null, null)).toList();
        CompactionSettings settings = CompactionSettings.defaults();
        Compactor compactor = new Compactor(h -> new ScriptedSummarizer(), counting, CompactorTest.CLOCK);
        try {
            compactor.preview(new Compactor.Input(uncached, settings, SUMMARIZER, CompactorTest.AGENT, 8_000, "UTC", "manual",
                    Instant.now()));
        } catch (NothingToCompactException ignored) {
            // counting is what this property is about
        }
        assertThat(counted[0]).as("one count per message").isLessThanOrEqualTo(uncached.size());
    }
}
