package dev.compactor.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The llm core knows its adapters only through {@link ModelApis}: none of its classes imports them. */
class PackageDirectionTest {
    private static final Path CORE = Path.of("src/main/java/dev/compactor/llm");

    @Test
    void theCoreImportsNoAdapterPackage() throws IOException {
        List<String> offending;
        try (Stream<Path> files = Files.list(CORE)) {
            offending = files.filter(f -> f.toString().endsWith(".java")).flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream().filter(line -> line.matches(
                            "import (static )?dev\\.compactor\\.(llm\\.(http|bedrock|providers)|app)\\..*")).map(line -> f.getFileName() + ": " + line);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(offending).isEmpty();
        assertThat(CORE.resolve("Summarizers.java")).exists();
    }
}
