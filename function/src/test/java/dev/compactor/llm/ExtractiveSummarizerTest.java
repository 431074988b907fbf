package dev.compactor.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.compactor.input.InvalidInputException;
import dev.compactor.input.WellFormedText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtractiveSummarizerTest {
    private final ExtractiveSummarizer summarizer = new ExtractiveSummarizer();

    private static List<ChatMessage> session(int rounds) {
        List<ChatMessage> span = new ArrayList<>();
        for (int i = 1; i <= rounds; i++) {
            span.add(ChatMessage.of("user", "Round " + i + ": please check services/api/handler_" + i + ".py and ticket OPS-" + (100 + i)
                    + ". It keeps timing out after the deploy, which is odd because nothing in that path changed recently."));
            span.add(new ChatMessage("assistant", "I will read the handler first.",
                    List.of(new ChatMessage.Call("call_" + i, "read_file", "{\"path\": \"services/api/handler_" + i + ".py\"}")), null, null));
            span.add(new ChatMessage("tool", "Traceback: TimeoutError after 30000 ms in fetch_orders", List.of(), "call_" + i, "error"));
            span.add(ChatMessage.of("assistant", "We decided to raise the pool size to 64 and retry. See https://wiki.acme.dev/pool-" + i));
        }
        return span;
    }

    private static SummaryRequest request(List<ChatMessage> span, int words, Integer clip) {
        return new SummaryRequest(ExtractiveSummarizer.HANDLE, "prompt", List.of(ChatMessage.of("user", "transcript")), null, null,
                span, words, clip, Instant.now().plusSeconds(5));
    }

    private static int words(String s) {
        return s.strip().split("\\s+").length;
    }

    @Test
    void keepsTheLatestRequestErrorsAndIdentifiersVerbatimEvenOnATinyBudget() {
        SummaryResult r = summarizer.summarize(request(session(1), 300, null));

        assertThat(r.source()).isEqualTo(SummaryResult.EXTRACTIVE);
        assertThat(r.model()).isEqualTo(ExtractiveSummarizer.HANDLE);
        assertThat(r.text()).contains("Round 1: please check services/api/handler_1.py and ticket OPS-101.")
                .contains("read_file: Traceback: TimeoutError after 30000 ms")
                .contains("https://wiki.acme.dev/pool-1").contains("OPS-101").contains("services/api/handler_1.py");
    }

    @Test
    void staysWithinTheWordLimitAndWellUnderTheSpansLength() {
        List<ChatMessage> span = session(40);

        String text = summarizer.summarize(request(span, 300, null)).text();

        assertThat(words(text)).isLessThanOrEqualTo(300);
        assertThat(text).contains("Round 40:");
        String small = summarizer.summarize(request(session(2), 300, null)).text();
        int spanWords = session(2).stream().mapToInt(m -> words(m.text())).sum();
        assertThat(words(small)).isLessThan(spanWords);
    }

    @Test
    void keepsDecisionsWhenTheBudgetAllows() {
        assertThat(summarizer.summarize(request(session(6), 300, null)).text())
                .contains("We decided to raise the pool size to 64 and retry.");
    }

    @Test
    void staysWithinTheCharacterLimit() {
        String text = summarizer.summarize(request(session(10), 500, 400)).text();

        assertThat(text.codePointCount(0, text.length())).isLessThanOrEqualTo(400);
        assertThat(text).isNotBlank();
    }

    @Test
    void isDeterministic() {
        assertThat(summarizer.summarize(request(session(7), 300, null)).text())
                .isEqualTo(summarizer.summarize(request(session(7), 300, null)).text());
    }

    @Test
    void carriesAnEarlierSummaryForward() {
        List<ChatMessage> span = new ArrayList<>();
        span.add(ChatMessage.of("user", "{\n  \"type\": \"system_alert\",\n  \"message\": \"Note: prior messages have been hidden."
                + "\\nThe following is a summary of the previous messages:\\n We migrated billing to Postgres 16.\",\n  \"time\": \"x\"\n}"));
        span.addAll(session(1));

        assertThat(summarizer.summarize(request(span, 300, null)).text()).contains("We migrated billing to Postgres 16.");
    }

    @Test
    void keepsSuccessfulToolOutcomesUnderTheToolsName() {
        List<ChatMessage> span = List.of(ChatMessage.of("user", "How many orders failed yesterday?"),
                new ChatMessage("assistant", "", List.of(new ChatMessage.Call("q1", "run_sql", "{\"sql\": \"select count(*) from orders\"}")), null, null),
                new ChatMessage("tool", "1284 rows matched. Query took 41 ms.", List.of(), "q1", "success"),
                ChatMessage.of("assistant", "1284 orders failed; I will check the payment gateway next."));

        String text = summarizer.summarize(request(span, 300, null)).text();

        assertThat(text).contains("Tool outcomes:\n- run_sql: 1284 rows matched.")
                .contains("- How many orders failed yesterday?")
                .contains("I will check the payment gateway next.");
    }

    @Test
    void takesNoModelSettings() {
        SummaryRequest withSettings = new SummaryRequest(ExtractiveSummarizer.HANDLE, "prompt", List.of(ChatMessage.of("user", "t")), null,
                Map.of("provider_type", "bedrock", "temperature", 0.1), session(1), 300, null, Instant.now().plusSeconds(5));

        assertThatThrownBy(() -> summarizer.summarize(withSettings))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("takes no model_settings");
    }

    @Test
    void clipsToolCallArgumentsAtWholeCharacters() {
        String arguments = "x".repeat(79) + "🚀🚀 and more";
        List<ChatMessage> span = List.of(ChatMessage.of("user", "Launch it."),
                new ChatMessage("assistant", "", List.of(new ChatMessage.Call("call_1", "launch", arguments)), null, null));

        String text = summarizer.summarize(request(span, 300, null)).text();

        assertThat(text).contains("called launch(" + "x".repeat(79) + "🚀…)");
        assertThat(WellFormedText.wellFormed(text)).as("no half of a surrogate pair").isTrue();
    }
}
