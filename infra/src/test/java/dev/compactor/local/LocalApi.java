package dev.compactor.local;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The API served over HTTP by the API Gateway emulator on a fresh table of the shared DynamoDB Local, and a client for it. */
final class LocalApi implements AutoCloseable {
    private final ApiGatewayEmulator api;
    final HttpJson http;

    private LocalApi(ApiGatewayEmulator api) {
        this.api = api;
        this.http = new HttpJson(api.port());
    }

    static LocalApi start() {
        TestDynamo local = TestDynamo.get();
        try {
            ApiGatewayEmulator api = new ApiGatewayEmulator(local.host(local.newTable()), "127.0.0.1", 0);
            api.start();
            return new LocalApi(api);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        api.close();
    }
}
