package org.sep4j.core.progress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-line progress bar with count, rate and ETA, redrawn at most every 100 ms on standard
 * error. Only drawn when the process talks to a terminal and CI is unset (CI logs stay clean);
 * otherwise silent.
 * Thread-safe: workers may call {@link #step()} concurrently.
 *
 * <pre>{@code
 * try (ProgressBar bar = ProgressBar.start("eval", items.size(), "items")) {
 *     items.parallelStream().forEach(i -> { score(i); bar.step(); });
 * }
 * }</pre>
 */
public final class ProgressBar implements AutoCloseable {

    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int WIDTH = 28;

    private final String label;
    private final long total;
    private final String unit;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private volatile long lastDraw;
    private volatile String status = "";
    private boolean closed;

    private ProgressBar(String label, long total, String unit, PrintStream out) {
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.out = out;
    }

    /** Threads whose bars stay silent (jobs running side by side would draw over each other's line). */
    private static final ThreadLocal<Boolean> SILENT = ThreadLocal.withInitial(() -> false);

    /** Bars started on the calling thread from now on are silent. */
    public static void silenceThisThread() {
        SILENT.set(true);
    }

    /** A bar on standard error when it is a terminal; a silent one otherwise (or on a silenced thread). */
    public static ProgressBar start(String label, long total, String unit) {
        java.io.Console c = System.console();
        boolean terminal = c != null && c.isTerminal() && System.getenv("CI") == null && !SILENT.get();
        return new ProgressBar(label, total, unit, terminal ? System.err : null);
    }

    /** A bar drawn on the given stream regardless of terminals (tests, explicit opt-in). */
    public static ProgressBar to(PrintStream out, String label, long total, String unit) {
        return new ProgressBar(label, total, unit, out);
    }

    public void step() {
        step(1);
    }

    public void step(long n) {
        long d = done.addAndGet(n);
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS || d == total) {
            lastDraw = now;
            draw(d, now);
        }
    }

    /** A short note shown after the counters (e.g. the latest loss). */
    public void status(String note) {
        status = note == null ? "" : note;
    }

    public long done() {
        return done.get();
    }

    /** The line as it would be drawn now (without the carriage return). */
    public String render() {
        return line(done.get(), System.nanoTime());
    }

    private synchronized void draw(long d, long now) {
        if (!closed) {
            out.print('\r' + line(d, now));
            out.flush();
        }
    }

    private String line(long d, long now) {
        double secs = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = d / secs;
        StringBuilder sb = new StringBuilder(label).append(' ');
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, WIDTH * d / total);
            sb.append('[').append("#".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ");
            sb.append(String.format(Locale.ROOT, "%d/%d %s %3.0f%%", d, total, unit, 100.0 * d / total));
        } else {
            sb.append(d).append(' ').append(unit);
        }
        sb.append(String.format(Locale.ROOT, "  %s/s", rate >= 100 ? String.format(Locale.ROOT, "%.0f", rate)
                : String.format(Locale.ROOT, "%.2f", rate)));
        sb.append("  elapsed ").append(clock(secs));
        if (total > 0 && d < total && rate > 0) {
            sb.append("  eta ").append(clock((total - d) / rate));
        }
        if (!status.isEmpty()) {
            sb.append("  ").append(status);
        }
        return sb.toString();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public synchronized void close() {
        if (out != null && !closed) {
            out.print('\r' + line(done.get(), System.nanoTime()) + '\n');
            out.flush();
        }
        closed = true;
    }
}
