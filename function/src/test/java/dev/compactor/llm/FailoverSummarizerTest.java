package dev.compactor.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.compactor.conversation.ModelSettings;
import dev.compactor.support.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailoverSummarizerTest {
    static final ModelHandle PRIMARY = ModelHandle.parse("anthropic/claude-haiku-4-5");
    static final ModelHandle BACKUP = ModelHandle.parse("bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0");
    static final ModelHandle SECOND_BACKUP = ModelHandle.parse("openai/gpt-5-mini");

    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Map<ModelHandle, Object> answers = new HashMap<>();
    private final List<SummaryRequest> seen = new ArrayList<>();

    private Summarizer adapter(ModelHandle model) {
        return request -> {
            seen.add(request);
            Object answer = answers.get(model);
            if (answer instanceof RuntimeException e) {
                throw e;
            }
            return new SummaryResult((String) answer, SummaryResult.LLM, model, TokenUsage.NONE, 1);
        };
    }

    private SummaryRequest request() {
        return new SummaryRequest(PRIMARY, "prompt", List.of(ChatMessage.of("user", "transcript")),
                ModelSettings.fromJson("{\"provider_type\":\"anthropic\",\"max_output_tokens\":500}"), List.of(ChatMessage.of("user", "fix ACME-1")),
                300, null, clock.instant().plusSeconds(30));
    }

    private static LlmException error(LlmException.Kind kind) {
        return new LlmException(kind, "x", kind.name());
    }

    @Test
    void theFirstModelThatAnswersWinsAndEachGetsAnEqualShareOfTheTimeLeft() {
        answers.put(PRIMARY, error(LlmException.Kind.RATE_LIMIT));
        answers.put(BACKUP, error(LlmException.Kind.TIMEOUT));
        answers.put(SECOND_BACKUP, "backup summary");

        SummaryResult result = new FailoverSummarizer(List.of(BACKUP, SECOND_BACKUP), this::adapter, null, clock).summarize(request());

        assertThat(result.model()).isEqualTo(SECOND_BACKUP);
        assertThat(result.failover().attempts()).extracting(SummaryResult.FailedAttempt::model).containsExactly(PRIMARY, BACKUP);
        assertThat(seen).extracting(SummaryRequest::deadline).containsExactly(clock.instant().plusSeconds(10),
                clock.instant().plusSeconds(15), clock.instant().plusSeconds(30));
        assertThat(Json.parseObject(seen.get(2).modelSettings().toJson()))
                .isEqualTo(Map.of("provider_type", "openai", "max_output_tokens", 500L));
    }

    @Test
    void aFailureOfTheRequestItselfDoesNotFailOver() {
        answers.put(PRIMARY, error(LlmException.Kind.CONTEXT_WINDOW_EXCEEDED));
        answers.put(BACKUP, "never");

        assertThatThrownBy(() -> new FailoverSummarizer(List.of(BACKUP), this::adapter, new ExtractiveSummarizer(), clock).summarize(request()))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.CONTEXT_WINDOW_EXCEEDED));
        assertThat(seen).hasSize(1);
    }

    @Test
    void theRequestedModelsErrorSurfacesWhenEverythingFails() {
        LlmException first = error(LlmException.Kind.OVERLOADED);
        answers.put(PRIMARY, first);
        answers.put(BACKUP, error(LlmException.Kind.AUTHENTICATION));

        assertThatThrownBy(() -> new FailoverSummarizer(List.of(BACKUP), this::adapter, null, clock).summarize(request())).isSameAs(first);
    }

    @Test
    void theExtractiveLastResortAnswersWithTheWholeFailureRecord() {
        answers.put(PRIMARY, error(LlmException.Kind.PROVIDER_ERROR));

        SummaryResult result = new FailoverSummarizer(List.of(), this::adapter, new ExtractiveSummarizer(), clock).summarize(request());

        assertThat(result.source()).isEqualTo(SummaryResult.EXTRACTIVE);
        assertThat(result.text()).contains("ACME-1");
        assertThat(result.failover().attempts()).extracting(a -> a.model().toString(), a -> a.kind(), a -> a.message())
                .containsExactly(tuple(PRIMARY.toString(), LlmException.Kind.PROVIDER_ERROR, "PROVIDER_ERROR"));
        assertThat(result.failover().settingsNotCarried()).containsExactly("max_output_tokens");
        assertThat(Duration.between(clock.instant(), seen.get(0).deadline())).isEqualTo(Duration.ofSeconds(30));
    }
}
