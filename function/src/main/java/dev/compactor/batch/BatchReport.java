package dev.compactor.batch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a batch run did: compacted, skipped (with why) and failed (with why), by conversation id. */
public final class BatchReport {
    private int discovered;
    private final List<String> compacted = new ArrayList<>();
    private final List<Map<String, Object>> skipped = new ArrayList<>();
    private final List<Map<String, Object>> failed = new ArrayList<>();
    private long tokensBefore;
    private long tokensAfter;

    void discovered(int count) {
        discovered = count;
    }

    void compacted(String conversationId, long before, long after) {
        compacted.add(conversationId);
        tokensBefore += before;
        tokensAfter += after;
    }

    void skipped(String conversationId, String reason) {
        skipped.add(Map.of("conversation_id", conversationId, "reason", reason));
    }

    void failed(String conversationId, String reason) {
        failed.add(Map.of("conversation_id", conversationId, "reason", reason));
    }

    public int compactedCount() {
        return compacted.size();
    }

    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("discovered", discovered);
        out.put("compacted", compacted.size());
        out.put("skipped", skipped);
        out.put("failed", failed);
        out.put("tokens_before", tokensBefore);
        out.put("tokens_after", tokensAfter);
        return out;
    }
}
