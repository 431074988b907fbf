package dev.compactor.local.command;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Progress of a batch on stderr: done/total, rate and ETA, redrawn in place five times a second
 * on a terminal, or as a plain line every five seconds when stderr is a file or a pipe.
 */
public final class ProgressBar implements AutoCloseable {
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final boolean terminal;
    private final LongSupplier done;
    private final LongSupplier total;
    private final long started = System.nanoTime();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "progress");
        t.setDaemon(true);
        return t;
    });

    /** @param total the number of conversations to do, or -1 while it is not known yet */
    public ProgressBar(PrintStream err, boolean terminal, LongSupplier done, LongSupplier total) {
        this.err = err;
        this.terminal = terminal;
        this.done = done;
        this.total = total;
        long period = terminal ? 200 : 5_000;
        ticker.scheduleAtFixedRate(this::draw, period, period, TimeUnit.MILLISECONDS);
    }

    /** Whether stderr is a terminal (on Linux, read from /proc; elsewhere, whether there is a console at all). */
    public static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }

    private synchronized void draw() {
        String line = line(done.getAsLong(), total.getAsLong(), (System.nanoTime() - started) / 1e9);
        if (terminal) {
            err.print("\r" + line + "\033[K");
        } else {
            err.println(line);
        }
        err.flush();
    }

    static String line(long done, long total, double seconds) {
        double rate = seconds > 0 ? done / seconds : 0;
        StringBuilder out = new StringBuilder();
        if (total < 0) {
            out.append(String.format("%d/?  discovering…", done));
        } else {
            int filled = total == 0 ? WIDTH : (int) Math.min(WIDTH, WIDTH * done / total);
            out.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
                    .append(String.format("%d/%d  %3d%%", done, total, total == 0 ? 100 : 100 * done / total));
        }
        out.append(String.format("  %.1f/s", rate));
        if (total >= 0 && rate > 0) {
            out.append(String.format("  ETA %.0fs", Math.max(0, total - done) / rate));
        }
        return out.toString();
    }

    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        draw();
        if (terminal) {
            err.println();
        }
    }
}
