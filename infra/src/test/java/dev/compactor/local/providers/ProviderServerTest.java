package dev.compactor.local.providers;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test against one provider's local server, started fresh for each test, with summarizers that retry without waiting. */
abstract class ProviderServerTest {
    final TestProviders providers = new TestProviders();
    ScriptedServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = new ScriptedServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }
}
