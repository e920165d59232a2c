package org.nas4j.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs Graphviz's {@code dot} to turn a graph into SVG. */
final class Graphviz {
    private Graphviz() {
    }

    /** Renders DOT text to an SVG file; returns null on success, else what went wrong, for users. */
    static String render(String dotText, Path svg) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder("dot", "-Tsvg", "-o", svg.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return "Graphviz's 'dot' is not installed, so no SVG can be drawn: install it (apt-get install graphviz, "
                    + "or scripts/setup.sh) or write the graph with --dot FILE";
        }
        p.getOutputStream().write(dotText.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "Graphviz's dot took more than 2 minutes and was stopped";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return "interrupted while Graphviz's dot was drawing";
        }
        return p.exitValue() == 0 ? null : "Graphviz's dot failed: " + output.strip();
    }
}
