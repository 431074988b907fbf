package dev.compactor.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Entry point of {@code compaction-local.jar}, compiled for Java 17 so it starts on the machine's
 * default java. The runtime itself needs Java 21 (the Lambda runtime's release): on an older JVM
 * this finds an installed JDK 21+ and runs the jar again with it.
 */
public final class Launcher {
    private static final int REQUIRED = 21;
    private static final Pattern RELEASE_VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");
    private static final Pattern JDK_HOME = Pattern.compile("<jdkHome>\\s*([^<]+?)\\s*</jdkHome>");

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        if (Runtime.version().feature() >= REQUIRED) {
            Class.forName("dev.compactor.local.LocalMain").getMethod("main", String[].class).invoke(null, (Object) args);
            return;
        }
        Path java = findJava();
        if (java == null) {
            System.err.println("compaction-local needs Java " + REQUIRED + " or newer, and this is Java "
                    + Runtime.version().feature() + ". No JDK " + REQUIRED + "+ was found in JAVA_HOME, ~/.m2/toolchains.xml, "
                    + "/usr/lib/jvm or ~/.sdkman. Install one, or run the jar with its java.");
            System.exit(2);
        }
        String jar = new File(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        List<String> command = new ArrayList<>(List.of(java.toString(), "-jar", jar));
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).inheritIO().start();
        // Ctrl-C reaches the child through the terminal; a TERM sent to this process is passed on.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (child.isAlive()) {
                child.destroy();
                try {
                    child.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }));
        System.exit(child.waitFor());
    }

    private static Path findJava() throws IOException {
        List<Path> homes = new ArrayList<>();
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null) {
            homes.add(Paths.get(javaHome));
        }
        Path toolchains = Paths.get(System.getProperty("user.home"), ".m2", "toolchains.xml");
        if (Files.isRegularFile(toolchains)) {
            Matcher m = JDK_HOME.matcher(Files.readString(toolchains));
            while (m.find()) {
                homes.add(Paths.get(m.group(1)));
            }
        }
        for (Path root : List.of(Paths.get("/usr/lib/jvm"), Paths.get(System.getProperty("user.home"), ".sdkman", "candidates", "java"),
                Paths.get("/Library/Java/JavaVirtualMachines"))) {
            if (Files.isDirectory(root)) {
                try (var entries = Files.list(root)) {
                    entries.sorted().forEach(p -> {
                        homes.add(p);
                        homes.add(p.resolve("Contents").resolve("Home"));
                    });
                }
            }
        }
        Path best = null;
        int bestVersion = 0;
        for (Path home : homes) {
            Path java = home.resolve("bin").resolve("java");
            int version = releaseVersion(home);
            if (version >= REQUIRED && version > bestVersion && Files.isExecutable(java)) {
                best = java;
                bestVersion = version;
            }
        }
        return best;
    }

    private static int releaseVersion(Path home) {
        try {
            Matcher m = RELEASE_VERSION.matcher(Files.readString(home.resolve("release")));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
