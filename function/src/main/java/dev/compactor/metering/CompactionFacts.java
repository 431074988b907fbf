package dev.compactor.metering;

/**
 * What a compaction's metrics take from its call besides the report: the ids that travel as
 * properties, the HTTP status, the outcome, the mode asked for (a dimension) and the call's
 * duration. Any of them may be null when the call did not get that far.
 */
public record CompactionFacts(String requestId, String tenant, String conversationId, String jobId, Integer status,
                              String outcome, String model, String mode, Long durationMs) {}
