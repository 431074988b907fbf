package dev.compactor.conversation;

import java.util.Locale;

/** Letta's message roles, with their wire names. */
public enum Role {
    SYSTEM, USER, ASSISTANT, TOOL, APPROVAL, SUMMARY;

    // Every stored message's decoding and rendering asks for it: computed once.
    private final String wire = name().toLowerCase(Locale.ROOT);

    public String wire() {
        return wire;
    }

    /** The role for a wire name, or null when there is none. */
    public static Role fromWire(String wire) {
        for (Role r : values()) {
            if (r.wire.equals(wire)) {
                return r;
            }
        }
        return null;
    }
}
