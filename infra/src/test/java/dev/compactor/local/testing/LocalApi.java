package dev.compactor.local.testing;

import dev.compactor.local.emulator.ApiGatewayEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The API served over HTTP by the API Gateway emulator on a fresh table of the shared DynamoDB Local, and a client for it. */
public final class LocalApi implements AutoCloseable {
    private final ApiGatewayEmulator api;
    public final HttpJson http;
    /** The table behind this API, for tests that seed or inspect the store directly. */
    public final String table;

    private LocalApi(ApiGatewayEmulator api, String table) {
        this.api = api;
        this.http = new HttpJson(api.port());
        this.table = table;
    }

    public static LocalApi start() {
        TestDynamo local = TestDynamo.get();
        String table = local.newTable();
        try {
            ApiGatewayEmulator api = new ApiGatewayEmulator(local.host(table), "127.0.0.1", 0);
            api.start();
            return new LocalApi(api, table);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every route served, as the emulator lists them. */
    public List<String> routes() {
        return api.routes();
    }

    @Override
    public void close() {
        api.close();
    }
}
