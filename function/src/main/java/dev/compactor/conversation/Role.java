package dev.compactor.conversation;

import java.util.Locale;

/** Letta's message roles, with their wire names. */
public enum Role {
    SYSTEM, USER, ASSISTANT, TOOL, APPROVAL, SUMMARY;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role for a wire name, or null when there is none. */
    public static Role fromWire(String wire) {
        for (Role r : values()) {
            if (r.wire().equals(wire)) {
                return r;
            }
        }
        return null;
    }
}
