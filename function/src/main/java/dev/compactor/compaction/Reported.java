package dev.compactor.compaction;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.compactor.conversation.CompactionReport;

/** The compact response's {@code compaction} object: a committed compaction's report, or a dry run's plan. */
public sealed interface Reported permits Reported.Committed, Reported.DryRun {

    /**
     * The report, then the generation the compaction committed and its conversation.
     *
     * @param trigger set when the answer is another compaction's, committed while the call waited
     *     for it or between its read and its lease: what ran it ({@code due}: the due stream,
     *     {@code schedule}: discovery, {@code manual}: another client's request or job;
     *     {@code unknown} when that commit predates recorded triggers); null (left out) for the call's
     *     own compaction
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Committed(@JsonUnwrapped CompactionReport report, long generation, String conversationId,
                     @JsonInclude(JsonInclude.Include.NON_NULL) String trigger) implements Reported {
        /** The call's own compaction. */
        public Committed(CompactionReport report, long generation, String conversationId) {
            this(report, generation, conversationId, null);
        }
    }

    /** The plan, then the conversation and the generation it was planned on. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record DryRun(@JsonUnwrapped PlanReport plan, String conversationId, long generation) implements Reported {}
}
