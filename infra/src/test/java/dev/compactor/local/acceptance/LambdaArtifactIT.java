package dev.compactor.local.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** The zip deployed to Lambda holds the function's classes and runtime jars, and nothing test- or local-only. */
class LambdaArtifactIT {
    static final Path ZIP = Path.of("..", "function", "target", "compaction-function.zip");
    static final long MAX_ZIP_BYTES = 16L * 1024 * 1024;
    static final List<String> FORBIDDEN = List.of("DynamoDBLocal", "sqlite4java", "elasticmq", "jetty", "snakeyaml", "junit",
            "assertj", "opentest4j", "jqwik", "mockito", "netty", "apache-client", "apache5-client", "httpclient", "aws-crt", "kotlin",
            "compaction-infra", "logback", "pekko", "scala-library");

    @Test
    void containsNoTestOrLocalOnlyDependency() throws IOException {
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            List<String> names = Collections.list(zip.entries()).stream().map(ZipEntry::getName).toList();
            List<String> jars = names.stream().filter(n -> n.startsWith("lib/") && n.endsWith(".jar")).toList();
            List<String> classes = names.stream().filter(n -> n.endsWith(".class")).toList();

            assertThat(jars).isNotEmpty().allSatisfy(jar -> assertThat(FORBIDDEN).noneMatch(jar::contains));
            assertThat(jars).anyMatch(j -> j.contains("dynamodb-")).anyMatch(j -> j.contains("url-connection-client"))
                    .anyMatch(j -> j.contains("bedrockruntime-")).anyMatch(j -> j.contains("sqs-"))
                    .anyMatch(j -> j.contains("secretsmanager-"));
            // jtokkit is unpacked beside the function's classes, without the vocabularies no model here uses
            assertThat(classes).isNotEmpty().allSatisfy(c -> assertThat(c).matches("(dev/compactor/|com/knuddels/jtokkit/).*")
                    .doesNotEndWith("Test.class"));
            assertThat(names).contains("com/knuddels/jtokkit/o200k_base.tiktoken", "com/knuddels/jtokkit/cl100k_base.tiktoken")
                    .noneMatch(n -> n.endsWith("r50k_base.tiktoken") || n.endsWith("p50k_base.tiktoken"));
            assertThat(classes).contains("dev/compactor/api/ApiHandler.class", "dev/compactor/batch/DiscoveryHandler.class",
                    "dev/compactor/batch/BatchWorkerHandler.class");
        }
        assertThat(Files.size(ZIP)).as("the zip's bytes, against the 16 MiB the project allows").isLessThanOrEqualTo(MAX_ZIP_BYTES);
        System.out.printf("Lambda artifact %s: %.1f MiB%n", ZIP.getFileName(), Files.size(ZIP) / 1024.0 / 1024.0);
    }
}
