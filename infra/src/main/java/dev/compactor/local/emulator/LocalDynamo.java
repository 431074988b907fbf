package dev.compactor.local.emulator;

import dev.compactor.local.runtime.SamTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local as a real HTTP server on a loopback port, so the function's own SDK client talks
 * to it exactly as it talks to DynamoDB. In memory unless a data directory is given.
 */
public final class LocalDynamo implements AutoCloseable {
    private final DynamoDBProxyServer server;
    private final int port;

    private LocalDynamo(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** @param dataDir where to keep the database, or null for memory only */
    public static LocalDynamo start(Path dataDir) {
        configureNativeLibraries();
        int port = freePort();
        List<String> args = new ArrayList<>(List.of("-port", Integer.toString(port), "-sharedDb", "-disableTelemetry"));
        if (dataDir == null) {
            args.add("-inMemory");
        } else {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            args.add("-dbPath");
            args.add(dataDir.toAbsolutePath().toString());
        }
        try {
            DynamoDBProxyServer server = software.amazon.dynamodb.services.local.main.ServerRunner
                    .createServerFromCommandLineArgs(args.toArray(String[]::new));
            server.start();
            return new LocalDynamo(server, port);
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not start: " + e.getMessage(), e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * A client for setup work (creating the table) and for measuring or injecting failures
     * through {@code interceptors}; the function builds its own.
     */
    public DynamoDbClient client(ExecutionInterceptor... interceptors) {
        return client(endpoint(), interceptors);
    }

    /** A client for any DynamoDB emulator at {@code endpoint} (LocalStack's, say), as {@link #client} builds it. */
    public static DynamoDbClient client(String endpoint, ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder().endpointOverride(URI.create(endpoint)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.executionInterceptors(List.of(interceptors))).build();
    }

    /** A Streams API client of this DynamoDB Local. */
    public DynamoDbStreamsClient streams() {
        return DynamoDbStreamsClient.builder().endpointOverride(URI.create(endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** The table's current stream, or null when it has none. */
    public String streamArn(String tableName) {
        try (DynamoDbClient client = client()) {
            return client.describeTable(r -> r.tableName(tableName)).table().latestStreamArn();
        }
    }

    /**
     * Creates the template's table under {@code tableName} unless it already exists; a table kept
     * in a data directory from before the template had a stream gets the template's stream.
     */
    public void ensureTable(SamTemplate template, String tableName) {
        ensureTable(endpoint(), template, tableName);
    }

    /** As {@link #ensureTable(SamTemplate, String)}, on the DynamoDB emulator at {@code endpoint}. */
    public static void ensureTable(String endpoint, SamTemplate template, String tableName) {
        try (DynamoDbClient client = client(endpoint)) {
            try {
                TableDescription existing = client.describeTable(r -> r.tableName(tableName)).table();
                StreamSpecification wanted = template.table().createTableRequest(tableName).streamSpecification();
                if (wanted != null && (existing.streamSpecification() == null || !existing.streamSpecification().streamEnabled())) {
                    client.updateTable(r -> r.tableName(tableName).streamSpecification(wanted));
                }
                return;
            } catch (ResourceNotFoundException absent) {
                // create it below
            }
            client.createTable(template.table().createTableRequest(tableName));
            String ttl = template.table().timeToLiveAttribute();
            if (ttl != null) {
                client.updateTimeToLive(r -> r.tableName(tableName).timeToLiveSpecification(t -> t.attributeName(ttl).enabled(true)));
            }
        }
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop cleanly", e);
        }
    }

    /**
     * sqlite4java loads its native library from a directory: the build copies it to
     * {@code lib/native} next to the jar (or next to {@code classes} when run from the build).
     */
    private static void configureNativeLibraries() {
        if (System.getProperty("sqlite4java.library.path") != null) {
            return;
        }
        try {
            Path codeSource = Path.of(LocalDynamo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path nativeDir = codeSource.getParent().resolve("lib").resolve("native");
            if (!Files.isDirectory(nativeDir)) {
                throw new IllegalStateException("DynamoDB Local's native libraries are missing: expected them in " + nativeDir
                        + " (run the Maven build first)");
            }
            System.setProperty("sqlite4java.library.path", nativeDir.toString());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
