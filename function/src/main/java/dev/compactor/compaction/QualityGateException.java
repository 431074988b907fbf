package dev.compactor.compaction;

/** A summary failed a quality gate that is enforced; nothing was committed. */
public final class QualityGateException extends RuntimeException {
    private final QualityGates.Report report;

    public QualityGateException(QualityGates.Report report) {
        super(report.failureMessage());
        this.report = report;
    }

    public QualityGates.Report report() {
        return report;
    }
}
