package dev.compactor.compaction;

/** A mode cannot be applied to this context (no valid cut); the caller may fall back to another mode. */
public final class PlanningException extends RuntimeException {
    public PlanningException(String message) {
        super(message);
    }
}
