package dev.compactor.local.command;

import dev.compactor.access.ApiKeyCredentials;
import dev.compactor.access.Tenants;
import dev.compactor.conversation.dynamo.DynamoApiKeys;
import dev.compactor.support.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code start-api --keys FILE}: API keys and their tenants, {@code {"<key>": "<tenant>", …}},
 * registered in the local table the way an operator registers them in the cloud (by hash), so
 * that the template's authorizer finds them.
 */
public final class ApiKeyFile {
    private final Map<String, String> tenants;

    private ApiKeyFile(Map<String, String> tenants) {
        this.tenants = tenants;
    }

    public static ApiKeyFile read(Path file) {
        Map<String, Object> json;
        try {
            json = Json.parseObject(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read key file " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new Args.UsageException("key file " + file + " must be a JSON object of API keys to tenants");
        }
        Map<String, String> tenants = new LinkedHashMap<>();
        int entry = 0;
        for (Map.Entry<String, Object> e : json.entrySet()) {
            entry++;
            if (!ApiKeyCredentials.wellFormed(e.getKey())) {
                throw new Args.UsageException("key file " + file + ", entry " + entry + ": an API key is 20 to 128 visible ASCII characters");
            }
            if (!(e.getValue() instanceof String tenant) || !Tenants.valid(tenant)) {
                throw new Args.UsageException("key file " + file + ", entry " + entry + ": a tenant is 1 to 64 letters, digits, '_', '.' or '-'");
            }
            tenants.put(e.getKey(), tenant);
        }
        return new ApiKeyFile(tenants);
    }

    public void register(DynamoApiKeys keys) {
        tenants.forEach(keys::register);
    }

    public int size() {
        return tenants.size();
    }

    /** The tenants, sorted (for the startup message; never the keys). */
    public TreeSet<String> tenants() {
        return new TreeSet<>(tenants.values());
    }
}
