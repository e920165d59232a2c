package org.nas4j.report;

import java.io.PrintWriter;
import java.util.Locale;
import org.nas4j.train.Progress;

/**
 * Shows training progress: on a terminal one line rewritten in place (epoch, step, loss,
 * accuracy, samples/s, ETA); otherwise a plain line at every tenth of an epoch, so logs stay short.
 */
public final class ProgressLine implements Progress {
    private final PrintWriter out;
    private final boolean terminal;
    private long lastDraw;
    private long epochStart;

    /** Writes to {@code out}; {@code terminal} says whether lines may be redrawn in place. */
    public ProgressLine(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Whether standard output is an interactive terminal. */
    public static boolean onTerminal() {
        return System.console() != null && System.getenv("CI") == null;
    }

    @Override
    public void step(int epoch, int epochs, int step, int steps, double loss, double accuracy, double samplesPerSecond) {
        long now = System.nanoTime();
        if (step == 1) {
            epochStart = now;
        }
        double secondsPerStep = step > 1 ? (now - epochStart) / 1e9 / (step - 1) : 0;
        long stepsLeft = (steps - step) + (long) (epochs - epoch) * steps;
        String line = String.format(Locale.ROOT, "epoch %d/%d  step %d/%d  loss %.4f  accuracy %.4f  %,.0f samples/s  ETA %s",
                epoch, epochs, step, steps, loss, accuracy, samplesPerSecond, duration(stepsLeft * secondsPerStep));
        if (terminal) {
            if (now - lastDraw > 100_000_000L || step == steps) {
                out.print("\r" + line + "   ");
                out.flush();
                lastDraw = now;
            }
        } else if (step == steps || step % Math.max(1, steps / 10) == 0) {
            out.println(line);
            out.flush();
        }
    }

    @Override
    public void epoch(int epoch, int epochs, double loss, double accuracy, double validationAccuracy) {
        if (terminal) {
            out.println();
        }
        out.printf(Locale.ROOT, "epoch %d/%d done: loss %.4f, train accuracy %.4f%s%n", epoch, epochs, loss, accuracy,
                Double.isNaN(validationAccuracy) ? "" : String.format(Locale.ROOT, ", validation accuracy %.4f", validationAccuracy));
        out.flush();
    }

    /** "m:ss". */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
