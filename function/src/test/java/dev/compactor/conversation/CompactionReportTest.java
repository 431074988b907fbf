package dev.compactor.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.CompactionReport.Gates;
import dev.compactor.conversation.CompactionReport.IdentifierRetention;
import dev.compactor.conversation.CompactionReport.NonEmpty;
import dev.compactor.conversation.CompactionReport.NotTruncated;
import dev.compactor.conversation.CompactionReport.Shorter;
import dev.compactor.conversation.CompactionReport.ToolIntegrity;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompactionReportTest {

    @Test
    void aRejectionNamesEachFailedGateWithItsFiguresByTheirJsonNames() {
        Gates gates = Gates.of(new NonEmpty("pass"), new NotTruncated("warn", true), new Shorter("fail", 120, 100, 1.2, true),
                new IdentifierRetention("fail", 0.5, 4, 2, 0.8, true, List.of("RE-1", "a b")),
                new ToolIntegrity("pass", 3, 0, null, 1));

        assertThat(gates.passed()).isFalse();
        assertThat(gates.failureMessage()).isEqualTo("The summary was rejected by quality gates"
                + " shorter {summary_tokens=120, replaced_tokens=100, ratio=1.2, enforced=true};"
                + " identifier_retention {ratio=0.5, found=4, kept=2, threshold=0.8, enforced=true, missing=[RE-1, a b]}");
        assertThat(gates.toolIntegrity().figures())
                .isEqualTo("{kept_tool_results=3, results_without_call=0, pending_approval_kept=null, open_calls_summarised=1}");
    }
}
