package dev.compactor.conversation;

/**
 * A worker tried to finish a job it no longer holds: its lease ran out and another worker claimed
 * the job, or the job was given up as abandoned. Nothing of the worker's result was written.
 */
public final class JobNotRunningException extends RuntimeException {
    public JobNotRunningException(String jobId) {
        super("Compaction job " + jobId + " is no longer held by this worker; nothing was written.");
    }
}
