package org.nas4j.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.cli.CliRun;

/**
 * The report of real small runs, rendered by headless Chromium: no script errors, charts with one
 * point per trial, and a screenshot under target/ for review. Installs Chromium when missing.
 */
class ReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @BeforeAll
    static void installChromium() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            Process p = new ProcessBuilder("scripts/install-chromium.sh").inheritIO().start();
            assertTrue(p.waitFor(15, TimeUnit.MINUTES) && p.exitValue() == 0, "scripts/install-chromium.sh failed");
        }
    }

    /** Runs headless Chromium on a file with extra arguments; returns what it printed. */
    private static String chromium(Path profile, Path page, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile));
        command.addAll(List.of(args));
        command.add(page.toUri().toString());
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "chromium did not finish");
        return out;
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void aMultiTrialReportRendersWithoutErrorsAndAPointPerTrial(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        CliRun search = CliRun.of("search", "--spec", "specs/nas-bench-macro.yaml", "--strategy", "evolution", "--trials", "30",
                "--out", run.toString());
        assertEquals(0, search.code(), search.err());
        Path report = run.resolve("report.html");
        assertTrue(Files.exists(report), "nas search writes the report");
        String dom = chromium(dir.resolve("profile"), report, "--dump-dom", "--virtual-time-budget=2000");
        assertTrue(dom.contains("<pre id=\"errors\"></pre>"), "script errors: " + dom.substring(dom.indexOf("id=\"errors\"")));
        assertEquals(30, count(dom, "class=\"trial-point"), "one point per trial in the scatter plot");
        assertEquals(1, count(dom, "class=\"trial-point best\""));
        assertEquals(30, count(dom, "class=\"best-point\""), "one point per trial in the best-so-far chart");
        assertEquals(30, count(dom, "<tr><td>"), "a table row per trial");
        assertTrue(dom.contains("finished"));
        Path shot = Path.of("target", "report-screenshot.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        chromium(dir.resolve("profile"), report, "--screenshot=" + shot, "--window-size=1280,2200", "--hide-scrollbars");
        assertTrue(Files.size(shot) > 10_000, "a screenshot of the report");
    }

    @Test
    void aDartsReportHasTheProbabilityHeatMapAndTheChosenArchitecture(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("darts");
        CliRun search = CliRun.of("search", "--spec", "specs/mnist.yaml", "--strategy", "darts", "--epochs", "2", "--threads", "1",
                "--set", "data.dataset=synthetic", "--set", "data.limit=512", "--out", run.toString());
        assertEquals(0, search.code(), search.err());
        String dom = chromium(dir.resolve("profile"), run.resolve("report.html"), "--dump-dom");
        assertTrue(dom.contains("<pre id=\"errors\"></pre>"), dom);
        // One key (conv1) with two options, over two epochs.
        assertEquals(4, count(dom, "class=\"cell"));
        assertTrue(count(dom, "class=\"cell top\"") >= 2, "the likeliest option of each epoch stands out");
        assertEquals(2, count(dom, "class=\"epoch-point\""));
        assertTrue(dom.contains("Chosen architecture") && dom.contains("class=\"graph\""), "the architecture is drawn");
        CliRun again = CliRun.of("report", "--run", run.toString(), "--out", dir.resolve("copy.html").toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(Files.readString(dir.resolve("copy.html")).contains("class=\"cell"));
        assertEquals(1, CliRun.of("report", "--run", dir.resolve("nothing").toString()).code());
    }
}
