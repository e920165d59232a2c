package org.nas4j.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.Function;

/**
 * One trial as a Spark task: starts nas4j's trial worker process on the executor's host with the
 * trial on its standard input (then closed, so the worker exits after it), and returns the
 * worker's answer line. A crash of the worker (native, out of memory) fails this task only; a
 * worker that cannot answer leaves its last words in the message. The worker's log goes to the
 * run directory's logs/, so the run directory must be reachable from the executors.
 */
final class TrialTask implements Function<String, String> {
    private static final long serialVersionUID = 1L;

    private final List<String> command;
    private final Map<String, String> environment;
    private final String log;

    TrialTask(List<String> command, Map<String, String> environment, Path log) {
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.log = log.toString();
    }

    @Override
    public String call(String request) throws IOException, InterruptedException {
        Path logFile = Path.of(log);
        String host = java.net.InetAddress.getLocalHost().getHostName();
        if (!Files.isDirectory(logFile.getParent())) {
            throw new IOException("the run directory is not reachable from host " + host + ": " + logFile.getParent()
                    + " is not a directory there (docs/cluster.md: a shared path)");
        }
        ProcessBuilder b = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        b.environment().putAll(environment);
        // The worker ends with this executor, should the executor be lost mid-trial.
        b.environment().put(org.nas4j.search.TrialWorker.PARENT, Long.toString(ProcessHandle.current().pid()));
        Process p = b.start();
        try {
            try (Writer in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
                in.write(request + "\n");
            }
            String answer;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                answer = out.readLine();
            }
            int code = p.waitFor();
            if (answer == null) {
                List<String> lines = Files.readAllLines(logFile);
                throw new IOException("on host " + host + ", the trial's worker process exited with code " + code
                        + (lines.isEmpty() ? "" : "; its last words: " + lines.get(lines.size() - 1).trim()) + " (" + logFile + ")");
            }
            return answer;
        } finally {
            // Cancelled or failed: the worker must not outlive its task (else a retried trial would run twice at once).
            p.destroyForcibly();
        }
    }
}
