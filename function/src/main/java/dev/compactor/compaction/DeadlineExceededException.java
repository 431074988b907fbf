package dev.compactor.compaction;

/**
 * The summary arrived after the call's deadline: a synchronous caller would no longer get the
 * answer (API Gateway cuts a request off after 29 seconds), so nothing is written.
 */
public final class DeadlineExceededException extends RuntimeException {
    public DeadlineExceededException() {
        super("The compaction did not finish within its time limit, so nothing was changed. A long compaction can run as a "
                + "job: send the request with 'Prefer: respond-async' (or ?async=true) and poll GET /v1/compactions/{job_id}.");
    }
}
