package dev.compactor.conversation;

/** Renews a claim's lease while its request runs; closing it stops the renewals. */
@FunctionalInterface
public interface LeaseHeartbeat extends AutoCloseable {
    @Override
    void close();
}
