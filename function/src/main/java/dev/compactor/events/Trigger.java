package dev.compactor.events;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What started a compaction: an API call, the due stream, or the scheduled discovery. */
public enum Trigger {
    MANUAL, DUE, SCHEDULE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
