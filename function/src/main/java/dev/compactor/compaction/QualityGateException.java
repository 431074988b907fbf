package dev.compactor.compaction;

import dev.compactor.conversation.CompactionReport;

/** A summary failed a quality gate that is enforced; nothing was committed. */
public final class QualityGateException extends RuntimeException {
    private final CompactionReport.Gates report;

    public QualityGateException(CompactionReport.Gates report) {
        super(report.failureMessage());
        this.report = report;
    }

    public CompactionReport.Gates report() {
        return report;
    }
}
