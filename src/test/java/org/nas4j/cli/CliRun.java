package org.nas4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process, capturing its exit code and output. */
public record CliRun(int code, String out, String err) {

    /** Runs {@code nas ARGS...}. */
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Whether anything printed looks like a Java stack trace or an internal error. */
    public boolean crashed() {
        String all = out + err;
        return all.contains("\tat ") || all.contains("Exception") || all.contains("internal error");
    }
}
