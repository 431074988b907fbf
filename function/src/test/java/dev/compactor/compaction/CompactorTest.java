package dev.compactor.compaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.conversation.Message;
import dev.compactor.llm.LlmException;
import dev.compactor.llm.ModelHandle;
import dev.compactor.llm.SummaryRequest;
import dev.compactor.llm.SummaryResult;
import dev.compactor.llm.Summarizer;
import dev.compactor.llm.TokenUsage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class CompactorTest {
    static final ModelHandle SUMMARIZER = new ModelHandle("anthropic", "claude-haiku-4-5");
    static final ModelHandle AGENT = new ModelHandle("openai", "gpt-5");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    /** Answers from a script (a text, or an exception to throw), recording every request. */
    static final class ScriptedSummarizer implements Summarizer {
        final List<SummaryRequest> requests = new ArrayList<>();
        final Deque<Object> script = new LinkedList<>();

        ScriptedSummarizer then(Object answer) {
            script.add(answer);
            return this;
        }

        @Override
        public SummaryResult summarize(SummaryRequest request) {
            requests.add(request);
            Object next = script.isEmpty() ? "A summary." : script.poll();
            if (next instanceof RuntimeException e) {
                throw e;
            }
            return new SummaryResult((String) next, SummaryResult.LLM, request.model(), TokenUsage.NONE, 1);
        }
    }

    private static Compactor.Outcome compact(ScriptedSummarizer s, List<Message> context, CompactionSettings settings) {
        Function<ModelHandle, Summarizer> lookup = h -> s;
        return new Compactor(lookup, MessageTokens.approximate(), CLOCK).compact(new Compactor.Input(context, settings,
                SUMMARIZER, AGENT, 128_000, "UTC", "manual", Instant.now().plusSeconds(30)));
    }

    private static CompactionSettings settings(CompactionMode mode, String prompt) {
        CompactionSettings d = CompactionSettings.defaults();
        return new CompactionSettings(null, null, prompt, false, d.clipChars(), mode, d.slidingWindowPercentage(), Set.of("mode"));
    }

    private static LlmException contextWindowExceeded() {
        return new LlmException(LlmException.Kind.CONTEXT_WINDOW_EXCEEDED, "anthropic", "prompt is too long");
    }

    @Test
    void allModeSendsThePromptAsSystemAndTheTranscriptAsTheUserTurn() {
        ScriptedSummarizer s = new ScriptedSummarizer().then("  The user asked two questions.  ");

        Compactor.Outcome o = compact(s, Messages.pairs(2).build(), settings(CompactionMode.ALL, null));

        SummaryRequest request = s.requests.get(0);
        assertThat(request.model()).isEqualTo(SUMMARIZER);
        assertThat(request.system()).isEqualTo(Prompts.ALL);
        assertThat(request.messages()).hasSize(1);
        assertThat(request.messages().get(0).text()).isEqualTo("""
                <start_transcript>
                [user] question 1
                [assistant] answer 1
                [user] question 2
                [assistant] answer 2
                <end_transcript>
                . Generate the summary.""");
        assertThat(o.summary()).isEqualTo("The user asked two questions.");
        assertThat(o.plan().numAfter()).isEqualTo(2);
        assertThat(o.packedText()).contains("\"type\": \"system_alert\"")
                .contains("Note: prior messages have been hidden from view due to conversation memory constraints.");
    }

    @Test
    void nothingToCompactIsRejectedBeforeAnyModelCall() {
        ScriptedSummarizer s = new ScriptedSummarizer();

        assertThatThrownBy(() -> compact(s, new Messages().system("s").build(), settings(CompactionMode.ALL, null)))
                .isInstanceOf(NothingToCompactException.class).hasMessage(NothingToCompactException.LETTA_MESSAGE);
        assertThat(s.requests).isEmpty();
    }

    @Test
    void slidingWindowWithoutAValidCutFallsBackToAllKeepingACustomPrompt() {
        ScriptedSummarizer s = new ScriptedSummarizer();

        Compactor.Outcome o = compact(s, Messages.pairs(1).build(), settings(CompactionMode.SLIDING_WINDOW, "My own prompt"));

        assertThat(o.plan().mode()).isEqualTo(CompactionMode.ALL);
        assertThat(o.fallbacks()).singleElement().asString().startsWith("sliding_window: Assistant message index 2");
        assertThat(s.requests).singleElement().extracting(SummaryRequest::system).isEqualTo("My own prompt");
    }

    @Test
    void slidingWindowFallbackWithTheDefaultPromptUsesTheAllDefault() {
        ScriptedSummarizer s = new ScriptedSummarizer();

        compact(s, Messages.pairs(1).build(), settings(CompactionMode.SLIDING_WINDOW, null));

        assertThat(s.requests).singleElement().extracting(SummaryRequest::system).isEqualTo(Prompts.ALL);
    }

    @Test
    void contextWindowErrorsRetryWithClampedToolResultsThenAMiddleTruncatedTranscript() {
        String huge = "x".repeat(20_000);
        List<Message> m = new Messages().system("s").user("run it").call("ok", "call_1", "run", "{}").tool("call_1", huge)
                .assistant("done").build();
        ScriptedSummarizer s = new ScriptedSummarizer().then(contextWindowExceeded()).then(contextWindowExceeded()).then("fine");

        Compactor.Outcome o = compact(s, m, settings(CompactionMode.ALL, null));

        assertThat(o.summary()).isEqualTo("fine");
        assertThat(s.requests).hasSize(3);
        assertThat(s.requests.get(0).messages().get(0).text()).contains(huge);
        assertThat(s.requests.get(1).messages().get(0).text()).contains("... [truncated 15000 chars]").doesNotContain(huge);
        assertThat(s.requests.get(2).messages().get(0).text()).isEqualTo(s.requests.get(1).messages().get(0).text());
    }

    @Test
    void slidingWindowPropagatesContextWindowErrorsInsteadOfFallingBack() {
        ScriptedSummarizer s = new ScriptedSummarizer().then(contextWindowExceeded()).then(contextWindowExceeded())
                .then(contextWindowExceeded());

        assertThatThrownBy(() -> compact(s, Messages.pairs(10).build(), settings(CompactionMode.SLIDING_WINDOW, null)))
                .isInstanceOf(LlmException.class)
                .extracting(e -> ((LlmException) e).kind()).isEqualTo(LlmException.Kind.CONTEXT_WINDOW_EXCEEDED);
        assertThat(s.requests).hasSize(3);
    }

    @Test
    void anEmptySummaryIsAFailureThatTriggersTheFallback() {
        ScriptedSummarizer s = new ScriptedSummarizer().then("   ").then("second try");

        Compactor.Outcome o = compact(s, Messages.pairs(10).build(), settings(CompactionMode.SLIDING_WINDOW, null));

        assertThat(o.plan().mode()).isEqualTo(CompactionMode.ALL);
        assertThat(o.summary()).isEqualTo("second try");
        assertThat(o.fallbacks()).singleElement().asString().contains("empty summary");
    }

    @Test
    void selfCompactionSendsTheConversationToTheAgentsModelWithThePromptLast() {
        ScriptedSummarizer s = new ScriptedSummarizer();

        compact(s, Messages.pairs(2).user("and?").build(), settings(CompactionMode.SELF_COMPACT_ALL, null));

        SummaryRequest r = s.requests.get(0);
        assertThat(r.model()).isEqualTo(AGENT);
        assertThat(r.system()).isNull();
        assertThat(r.messages()).extracting(m -> m.role())
                .containsExactly("system", "user", "assistant", "user", "assistant", "user", "assistant", "user");
        assertThat(r.messages().get(r.messages().size() - 2).text()).isEqualTo(Prompts.SELF_COMPACT_ASSISTANT_TURN);
        assertThat(r.messages().get(r.messages().size() - 1).text()).isEqualTo(Prompts.SELF_ALL);
    }

    @Test
    void selfCompactAllFallsBackToSelfSlidingThenAll() {
        LlmException down = new LlmException(LlmException.Kind.PROVIDER_ERROR, "openai", "down");
        ScriptedSummarizer s = new ScriptedSummarizer().then(down).then(down).then("from all");

        Compactor.Outcome o = compact(s, Messages.pairs(10).build(), settings(CompactionMode.SELF_COMPACT_ALL, null));

        assertThat(o.plan().mode()).isEqualTo(CompactionMode.ALL);
        assertThat(s.requests).extracting(SummaryRequest::model).containsExactly(AGENT, AGENT, SUMMARIZER);
        assertThat(s.requests.get(1).messages().get(s.requests.get(1).messages().size() - 1).text()).isEqualTo(Prompts.SELF_SLIDING);
        assertThat(o.fallbacks()).hasSize(2);
    }

    @Test
    void longSummariesAreClippedInCodePointsWithLettasSuffix() {
        CompactionSettings d = CompactionSettings.defaults();
        CompactionSettings clip = new CompactionSettings(null, null, null, false, 5L, CompactionMode.ALL,
                d.slidingWindowPercentage(), Set.of("mode", "clip_chars"));
        ScriptedSummarizer s = new ScriptedSummarizer().then("😀😀😀😀😀😀😀");

        Compactor.Outcome o = compact(s, Messages.pairs(2).build(), clip);

        assertThat(o.summary()).isEqualTo("😀😀😀😀😀... [summary truncated to fit]");
    }

    @Test
    void acknowledgementAddsTheAssistantTurnBeforeTheTranscript() {
        CompactionSettings d = CompactionSettings.defaults();
        CompactionSettings ack = new CompactionSettings(null, null, null, true, d.clipChars(), CompactionMode.ALL,
                d.slidingWindowPercentage(), Set.of("mode", "prompt_acknowledgement"));
        ScriptedSummarizer s = new ScriptedSummarizer();

        compact(s, Messages.pairs(2).build(), ack);

        assertThat(s.requests.get(0).messages()).extracting(m -> m.role()).containsExactly("assistant", "user");
        assertThat(s.requests.get(0).messages().get(0).text()).isEqualTo(Prompts.ACKNOWLEDGEMENT);
    }
}
