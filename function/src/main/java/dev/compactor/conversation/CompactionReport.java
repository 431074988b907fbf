package dev.compactor.conversation;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.compactor.support.Json;
import dev.compactor.support.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Stream;

/**
 * What a committed compaction reports: the one record that the response's {@code compaction}
 * object, the summary record's stored details, the usage record, the log line and the metrics
 * read. Its JSON is the stored {@code details} document; components are in the order the fields
 * are written.
 *
 * <p>Fields added after the first stored records ({@code token_counter}, {@code usage},
 * {@code failover}, {@code gates}) are left out when absent, so an early record reads back and is
 * shown exactly as it was written.
 *
 * @param fallbacks the modes that failed before {@code modeUsed} succeeded, with why
 * @param tokenCounter the unit of the token figures ({@code approximate}, {@code o200k_base}, …)
 * @param failover the models that failed before the one that answered, or null when none did
 * @param tokensAfter the context after the compaction, summary included
 * @param settingsNotApplied {@code model_settings.<field>} paths the summarizer model could not
 *     take, dropped (Letta passes them to a client that ignores them); left out when empty
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record CompactionReport(
        String modeUsed,
        String model,
        String source,
        List<String> fallbacks,
        @JsonInclude(JsonInclude.Include.NON_NULL) String tokenCounter,
        @JsonInclude(JsonInclude.Include.NON_NULL) Usage usage,
        @JsonInclude(JsonInclude.Include.NON_NULL) Failover failover,
        long tokensBefore,
        long tokensAfter,
        @JsonInclude(JsonInclude.Include.NON_NULL) Gates gates,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> settingsNotApplied) {

    public CompactionReport {
        settingsNotApplied = settingsNotApplied == null ? List.of() : List.copyOf(settingsNotApplied);
    }

    /** A report whose settings all applied. */
    public CompactionReport(String modeUsed, String model, String source, List<String> fallbacks, String tokenCounter, Usage usage,
                            Failover failover, long tokensBefore, long tokensAfter, Gates gates) {
        this(modeUsed, model, source, fallbacks, tokenCounter, usage, failover, tokensBefore, tokensAfter, gates, List.of());
    }

    /** Mode fallbacks and failed failover models together: every attempt that did not produce the summary. */
    public int fallbackCount() {
        return (fallbacks == null ? 0 : fallbacks.size()) + (failover == null ? 0 : failover.attempts().size());
    }

    /**
     * Usage of the model call that produced the summary: tokens, latency and the estimated cost (null when unpriced).
     *
     * @param usageRejected why the provider's figures could not be true (then no tokens and no cost), or null
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Usage(String provider, String model, long inputTokens, long outputTokens, long cacheReadTokens,
                        long cacheWriteTokens, long latencyMs, Double costUsd,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String usageRejected) {}

    /**
     * @param attempts the models tried before the one that answered, in order
     * @param settingsNotCarried {@code model_settings} fields the answering model was not given
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Failover(List<Attempt> attempts, List<String> settingsNotCarried) {}

    /** @param error the failure's kind, lower case ({@code rate_limited}, {@code timeout}, …) */
    public record Attempt(String model, String error, String message) {}

    /** One gate's verdict; the record's other components are its figures. */
    public sealed interface Gate permits NonEmpty, NotTruncated, Shorter, IdentifierRetention, ToolIntegrity {
        String PASS = "pass";
        /** Failed, but not enforced. */
        String WARN = "warn";
        /** Failed and enforced: the summary is rejected. */
        String FAIL = "fail";

        String name();

        String status();

        /**
         * The figures as failure messages quote them, {@code {found=9, kept=5, …}}: each component
         * but the status by its JSON name. Code reads the components themselves.
         */
        default String figures() {
            StringJoiner figures = new StringJoiner(", ", "{", "}");
            for (Map.Entry<String, JsonNode> figure : JsonMapper.MAPPER.valueToTree(this).properties()) {
                if (!figure.getKey().equals("status")) {
                    figures.add(figure.getKey() + "=" + Json.toJava(figure.getValue()));
                }
            }
            return figures.toString();
        }
    }

    public record NonEmpty(String status) implements Gate {
        public String name() {
            return "non_empty";
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record NotTruncated(String status, boolean clippedToClipChars) implements Gate {
        public String name() {
            return "not_truncated";
        }
    }

    /** @param ratio summary over replaced tokens, or null when nothing was replaced */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Shorter(String status, long summaryTokens, long replacedTokens, Double ratio, boolean enforced)
            implements Gate {
        public String name() {
            return "shorter";
        }
    }

    /** @param threshold the configured minimum ratio, or null when the gate is not enforced */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record IdentifierRetention(String status, double ratio, int found, int kept, Double threshold, boolean enforced,
                                      List<String> missing) implements Gate {
        public String name() {
            return "identifier_retention";
        }
    }

    /** @param pendingApprovalKept whether the pending approval request is kept, or null when there is none */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ToolIntegrity(String status, int keptToolResults, int resultsWithoutCall, Boolean pendingApprovalKept,
                                int openCallsSummarised) implements Gate {
        public String name() {
            return "tool_integrity";
        }
    }

    /** Every gate's verdict for one summary (see {@code compaction.QualityGates}). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Gates(boolean passed, NonEmpty nonEmpty, NotTruncated notTruncated, Shorter shorter,
                        IdentifierRetention identifierRetention, ToolIntegrity toolIntegrity) {
        public static Gates of(NonEmpty nonEmpty, NotTruncated notTruncated, Shorter shorter, IdentifierRetention retention,
                               ToolIntegrity integrity) {
            boolean passed = Stream.of(nonEmpty, notTruncated, shorter, retention, integrity)
                    .noneMatch(g -> Gate.FAIL.equals(g.status()));
            return new Gates(passed, nonEmpty, notTruncated, shorter, retention, integrity);
        }

        public List<Gate> all() {
            return List.of(nonEmpty, notTruncated, shorter, identifierRetention, toolIntegrity);
        }

        public Gate gate(String name) {
            return all().stream().filter(g -> g.name().equals(name)).findFirst().orElse(null);
        }

        public String failureMessage() {
            List<String> failed = new ArrayList<>();
            for (Gate g : all()) {
                if (Gate.FAIL.equals(g.status())) {
                    failed.add(g.name() + " " + g.figures());
                }
            }
            return "The summary was rejected by quality gate" + (failed.size() > 1 ? "s " : " ") + String.join("; ", failed);
        }
    }
}
