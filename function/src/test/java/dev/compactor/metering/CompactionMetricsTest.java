package dev.compactor.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.CompactionReport;
import dev.compactor.support.Json;
import dev.compactor.support.Metrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One compaction's metrics as an EMF document CloudWatch accepts: declared metrics, their dimension sets, values at the root. */
class CompactionMetricsTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

    private static Map<String, Object> emitted(CompactionFacts facts) {
        return emitted(facts, null);
    }

    private static Map<String, Object> emitted(CompactionFacts facts, CompactionReport report) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            new CompactionMetrics(new Metrics("Compaction/test", CLOCK)).record(facts, report);
        } finally {
            System.setOut(original);
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(lines).hasSize(1);
        return Json.parseObject(lines[0]);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aSuccessfulCompactionReportsLatencyTokensRatioFallbacksAndCost() {
        CompactionFacts facts = new CompactionFacts("5d0b3b8e-9c1f-4e4a-8f1d-0a2b3c4d5e60", "acme", null, null, 200, "succeeded",
                null, "sliding_window", 812L);
        CompactionReport report = new CompactionReport("sliding_window", "anthropic/claude-haiku-4-5", "llm",
                List.of("self_compact_all: failed"), "approximate",
                new CompactionReport.Usage("anthropic", "anthropic/claude-haiku-4-5", 2400, 300, 0, 0, 640, 0.0039, null), null,
                3000, 750, null);

        Map<String, Object> doc = emitted(facts, report);

        Map<String, Object> aws = (Map<String, Object>) doc.get("_aws");
        assertThat(aws).containsEntry("Timestamp", CLOCK.millis());
        Map<String, Object> directive = ((List<Map<String, Object>>) aws.get("CloudWatchMetrics")).get(0);
        assertThat(directive).containsEntry("Namespace", "Compaction/test")
                .containsEntry("Dimensions", List.of(List.of("Service"), List.of("Service", "Mode")));
        assertThat((List<Map<String, Object>>) directive.get("Metrics")).extracting(m -> m.get("Name"))
                .containsExactly("Latency", "ModelLatency", "InputTokens", "OutputTokens", "CompactionRatio", "Fallbacks", "Failures",
                        "CostUsd");
        assertThat(doc).containsEntry("Service", "compaction").containsEntry("Mode", "sliding_window")
                .containsEntry("Latency", 812L).containsEntry("CompactionRatio", 0.25).containsEntry("Failures", 0L)
                .containsEntry("tenant", "acme").containsEntry("request_id", "5d0b3b8e-9c1f-4e4a-8f1d-0a2b3c4d5e60");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFailureCountsAsOneAndReportsOnlyWhatIsKnown() {
        Map<String, Object> doc = emitted(new CompactionFacts(null, null, null, null, null, "failed", null, null, 27_001L));

        Map<String, Object> directive = ((List<Map<String, Object>>) ((Map<String, Object>) doc.get("_aws")).get("CloudWatchMetrics")).get(0);
        assertThat((List<Map<String, Object>>) directive.get("Metrics")).extracting(m -> m.get("Name"))
                .containsExactly("Latency", "Failures");
        assertThat(doc).containsEntry("Failures", 1L).containsEntry("Mode", "default");
    }
}
