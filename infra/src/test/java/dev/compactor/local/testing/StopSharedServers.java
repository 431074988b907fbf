package dev.compactor.local.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Stops the servers the tests share (ElasticMQ, DynamoDB Local, LocalStack) when the test run ends, before
 * the fork exits: from a JVM shutdown hook, stopping them ran against surefire's 30 s limit on a
 * fork's exit. Registered through {@code META-INF/services}, so it covers every test class,
 * whether surefire, failsafe or an IDE runs it.
 */
public final class StopSharedServers implements LauncherSessionListener {
    @Override
    public void launcherSessionClosed(LauncherSession session) {
        try {
            TestSqs.stop();
        } finally {
            try {
                TestDynamo.stop();
            } finally {
                LocalStackBackend.stop();
            }
        }
    }
}
