package dev.compactor.conversation.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.compactor.conversation.CompactionReport;
import dev.compactor.conversation.SummaryRecord;
import dev.compactor.support.Json;
import dev.compactor.support.JsonMapper;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Summary items written before the report was typed (its details built as a map and written by
 * {@code Json.write}) read into the record, and show exactly the JSON they were written with; items
 * written before commits recorded their trigger read without one.
 */
public class StoredSummaryCompatibilityTest {
    /** The details of a compaction with a failover, as the map-based code wrote them (Python float layout). */
    public static final String MAP_WRITTEN_DETAILS = "{\"mode_used\":\"sliding_window\",\"model\":\"bedrock/anthropic.claude-3-haiku\","
            + "\"source\":\"llm\",\"fallbacks\":[\"self_compact_all: The summarizer returned an empty summary\"],"
            + "\"token_counter\":\"approximate\",\"usage\":{\"provider\":\"bedrock\",\"model\":\"bedrock/anthropic.claude-3-haiku\","
            + "\"input_tokens\":2400,\"output_tokens\":300,\"cache_read_tokens\":0,\"cache_write_tokens\":12,\"latency_ms\":640,"
            + "\"cost_usd\":1.5e-05},\"failover\":{\"attempts\":[{\"model\":\"anthropic/claude-haiku-4-5\",\"error\":\"rate_limited\","
            + "\"message\":\"429 from the provider\"}],\"settings_not_carried\":[\"temperature\"]},\"tokens_before\":3000,"
            + "\"tokens_after\":750,\"gates\":{\"passed\":true,\"non_empty\":{\"status\":\"pass\"},"
            + "\"not_truncated\":{\"status\":\"pass\",\"clipped_to_clip_chars\":false},"
            + "\"shorter\":{\"status\":\"pass\",\"summary_tokens\":120,\"replaced_tokens\":2400,\"ratio\":0.05,\"enforced\":true},"
            + "\"identifier_retention\":{\"status\":\"pass\",\"ratio\":0.667,\"found\":3,\"kept\":2,\"threshold\":null,"
            + "\"enforced\":false,\"missing\":[\"ACME-7\"]},\"tool_integrity\":{\"status\":\"pass\",\"kept_tool_results\":0,"
            + "\"results_without_call\":0,\"pending_approval_kept\":null,\"open_calls_summarised\":0}}}";
    /** The details of the first stored records: no token counter, usage, failover or gates yet. */
    static final String EARLY_DETAILS = "{\"mode_used\":\"all\",\"model\":\"local/extractive\",\"source\":\"extractive\","
            + "\"fallbacks\":[],\"tokens_before\":812,\"tokens_after\":140}";

    private static Map<String, AttributeValue> mapWrittenItem(String details) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS("T#acme#C#conv-1"));
        item.put("sk", AttributeValue.fromS(Keys.summary(2)));
        item.put("generation", AttributeValue.fromN("2"));
        item.put("parent_generation", AttributeValue.fromN("1"));
        item.put("message_id", AttributeValue.fromS("message-9b1c"));
        item.put("packed_text", AttributeValue.fromS("{\n  \"type\": \"system_alert\"\n}"));
        item.put("summary", AttributeValue.fromS("The user fixed ACME-101."));
        item.put("covered_from_seq", AttributeValue.fromN("1"));
        item.put("covered_to_seq", AttributeValue.fromN("40"));
        item.put("kept_from_seq", AttributeValue.fromN("41"));
        item.put("mode_requested", AttributeValue.fromS("self_compact_all"));
        item.put("mode_used", AttributeValue.fromS("sliding_window"));
        item.put("model", AttributeValue.fromS("bedrock/anthropic.claude-3-haiku"));
        item.put("source", AttributeValue.fromS("llm"));
        item.put("prompt_hash", AttributeValue.fromS("0f3a5b2c9d8e7f61"));
        item.put("tokens", AttributeValue.fromN("120"));
        item.put("created_at", AttributeValue.fromS("2026-11-22T12:00:00Z"));
        item.put("details", AttributeValue.fromS(details));
        return item;
    }

    /** How the details are shown (GET compactions): plain values written by the API's writer. */
    private static String shown(CompactionReport details) {
        return Json.write(JsonMapper.MAPPER.convertValue(details, Object.class));
    }

    @Test
    void aMapWrittenSummaryReadsIntoTheTypedReportAndShowsTheSameJson() {
        SummaryRecord record = SummaryItems.record(mapWrittenItem(MAP_WRITTEN_DETAILS));

        CompactionReport details = record.details();
        assertThat(details.modeUsed()).isEqualTo("sliding_window");
        assertThat(details.usage().costUsd()).isEqualTo(1.5e-05);
        assertThat(details.usage().cacheWriteTokens()).isEqualTo(12);
        assertThat(details.failover().attempts()).singleElement()
                .isEqualTo(new CompactionReport.Attempt("anthropic/claude-haiku-4-5", "rate_limited", "429 from the provider"));
        assertThat(details.gates().identifierRetention().threshold()).isNull();
        assertThat(details.gates().toolIntegrity().pendingApprovalKept()).isNull();
        assertThat(details.fallbackCount()).isEqualTo(2);
        assertThat(shown(details)).isEqualTo(MAP_WRITTEN_DETAILS);
        assertThat(record.generation()).isEqualTo(2);
        assertThat(record.createdAt()).isEqualTo(Instant.parse("2026-11-22T12:00:00Z"));
    }

    @Test
    void anEarlySummaryWithoutTheLaterFieldsShowsExactlyWhatItStored() {
        CompactionReport details = SummaryItems.record(mapWrittenItem(EARLY_DETAILS)).details();

        assertThat(details.gates()).isNull();
        assertThat(details.usage()).isNull();
        assertThat(shown(details)).isEqualTo(EARLY_DETAILS);
    }

    @Test
    void aSummaryWrittenBeforeTriggersWereRecordedReadsWithoutOneAndIsRewrittenWithoutOne() {
        SummaryRecord old = SummaryItems.record(mapWrittenItem(EARLY_DETAILS));

        assertThat(old.trigger()).isNull();
        assertThat(SummaryItems.record("T#acme#C#conv-1", old)).doesNotContainKey("trigger");
    }

    @Test
    void aSummaryRecordsWhoRanItsCompaction() {
        SummaryRecord old = SummaryItems.record(mapWrittenItem(EARLY_DETAILS));
        SummaryRecord due = new SummaryRecord(old.generation(), old.parentGeneration(), old.messageId(), old.packedText(), old.summary(),
                old.coveredFromSeq(), old.coveredToSeq(), old.keptFromSeq(), old.modeRequested(), old.modeUsed(), old.model(), old.source(),
                old.promptHash(), old.tokens(), old.createdAt(), old.details(), "due");

        Map<String, AttributeValue> item = SummaryItems.record("T#acme#C#conv-1", due);

        assertThat(item.get("trigger")).isEqualTo(AttributeValue.fromS("due"));
        assertThat(SummaryItems.record(item)).isEqualTo(due);
        // What it costs the commit: its name and value, no more.
        assertThat(ItemSize.of(item) - ItemSize.of(SummaryItems.record("T#acme#C#conv-1", old))).isEqualTo("trigger".length() + "due".length());
    }

    @Test
    void aSummaryWrittenNowReadsBackEqualAndItsDetailsAreTheSameDocument() throws Exception {
        SummaryRecord old = SummaryItems.record(mapWrittenItem(MAP_WRITTEN_DETAILS));

        Map<String, AttributeValue> rewritten = SummaryItems.record("T#acme#C#conv-1", old);

        assertThat(SummaryItems.record(rewritten)).isEqualTo(old);
        assertThat(JsonMapper.MAPPER.readTree(rewritten.get("details").s()))
                .isEqualTo(JsonMapper.MAPPER.readTree(MAP_WRITTEN_DETAILS));
        Map<String, AttributeValue> item = mapWrittenItem(MAP_WRITTEN_DETAILS);
        item.remove("details");
        rewritten.remove("details");
        assertThat(rewritten).isEqualTo(item);
    }
}
