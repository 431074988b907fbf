package dev.compactor.api;

import dev.compactor.conversation.CompactionReport;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a route tells about its request for the request's one log line and its metrics:
 * identifiers, outcomes and measurements only, never message text, prompts or keys.
 */
final class RequestLog {
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private boolean compaction;
    private CompactionReport report;

    /** Sets a field; null values are left out. */
    RequestLog put(String name, Object value) {
        if (value != null) {
            fields.put(name, value);
        }
        return this;
    }

    Object get(String name) {
        return fields.get(name);
    }

    /** The request ran a compaction (not a dry run, a replay or a job submission): it has compaction metrics. */
    void markCompaction() {
        compaction = true;
    }

    /** The compaction committed: its report is what the metrics read. */
    RequestLog compacted(CompactionReport committed) {
        report = committed;
        return this;
    }

    /** The committed compaction's report, or null when none was committed. */
    CompactionReport report() {
        return report;
    }

    boolean compaction() {
        return compaction;
    }

    Map<String, Object> fields() {
        return Collections.unmodifiableMap(fields);
    }
}
