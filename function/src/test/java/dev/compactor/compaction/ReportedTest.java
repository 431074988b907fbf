package dev.compactor.compaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.CompactionReport;
import dev.compactor.conversation.dynamo.StoredSummaryCompatibilityTest;
import dev.compactor.support.Json;
import dev.compactor.support.JsonMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The response's {@code compaction} object is written in the order the map-based code wrote it. */
class ReportedTest {

    private static String written(Reported reported) {
        return Json.write(JsonMapper.MAPPER.convertValue(reported, Object.class));
    }

    @Test
    void aCommittedCompactionIsItsReportThenTheGenerationAndTheConversation() throws Exception {
        String details = StoredSummaryCompatibilityTest.MAP_WRITTEN_DETAILS;
        CompactionReport report = JsonMapper.MAPPER.readValue(details, CompactionReport.class);

        String json = written(new Reported.Committed(report, 3, "conv-11111111-2222-4333-8444-555555555555"));

        assertThat(json).isEqualTo(details.substring(0, details.length() - 1)
                + ",\"generation\":3,\"conversation_id\":\"conv-11111111-2222-4333-8444-555555555555\"}");
    }

    @Test
    void aReportWithoutFailoverLeavesTheFieldOutAndWritesItsNulls() {
        CompactionReport report = new CompactionReport("all", "local/extractive", "extractive", List.of(), "approximate",
                new CompactionReport.Usage("local", "local/extractive", 0, 0, 0, 0, 3, null, null), null, 100, 20,
                CompactionReport.Gates.of(new CompactionReport.NonEmpty("pass"), new CompactionReport.NotTruncated("pass", false),
                        new CompactionReport.Shorter("warn", 30, 0, null, false),
                        new CompactionReport.IdentifierRetention("pass", 1.0, 0, 0, null, false, List.of()),
                        new CompactionReport.ToolIntegrity("pass", 0, 0, null, 0)));

        String json = written(new Reported.Committed(report, 1, "conv-1"));

        assertThat(json).doesNotContain("failover").contains("\"cost_usd\":null}")
                .contains("\"shorter\":{\"status\":\"warn\",\"summary_tokens\":30,\"replaced_tokens\":0,\"ratio\":null,\"enforced\":false}")
                .startsWith("{\"mode_used\":\"all\",").endsWith("\"generation\":1,\"conversation_id\":\"conv-1\"}");
        assertThat(report.gates().passed()).isTrue();
    }
}
