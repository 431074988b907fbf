package dev.compactor.conversation;

import java.math.BigDecimal;
import java.util.List;

/**
 * A tenant's usage in one month: the counters and a page of the calls, newest first.
 *
 * @param nextCursor where the next page starts, or null after the last call
 */
public record MonthlyUsage(String tenant, String month, Totals totals, List<UsageRecord> records, String nextCursor) {

    /**
     * Sums over the month's calls.
     *
     * @param costUsd estimated cost of the calls whose model has a listed price
     * @param unpricedCalls calls whose model has no listed price (not in {@code costUsd})
     */
    public record Totals(long calls, long succeeded, long failed, long inputTokens, long outputTokens, long cacheReadTokens,
                         long cacheWriteTokens, long latencyMs, BigDecimal costUsd, long unpricedCalls) {
        public static final Totals NONE = new Totals(0, 0, 0, 0, 0, 0, 0, 0, BigDecimal.ZERO, 0);
    }
}
