package dev.compactor.llm.http;

import dev.compactor.llm.ProviderEnv;
import java.net.URI;

/** An HTTP provider as its adapter calls it: where it lives, the configuration it reads, and the transport. */
public record HttpProvider(HttpEndpoint endpoint, ProviderEnv env, HttpTransport http) {
    String name() {
        return endpoint.provider();
    }

    URI uri(String path) {
        return endpoint.uri(env, path);
    }

    String key() {
        return endpoint.key(env);
    }
}
