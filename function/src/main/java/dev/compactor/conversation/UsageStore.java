package dev.compactor.conversation;

/** Usage records per call and their monthly totals, per tenant. */
public interface UsageStore {
    /**
     * Meters a call that ended without a commit (a failure). Recording a call already recorded
     * changes nothing.
     */
    void record(UsageRecord record);

    /**
     * The month's counters and up to {@code limit} of its calls, newest first, after {@code cursor}
     * (a {@link UsageRecord#cursor()} from the previous page, or null for the first).
     */
    MonthlyUsage month(String tenant, String month, String cursor, int limit);
}
