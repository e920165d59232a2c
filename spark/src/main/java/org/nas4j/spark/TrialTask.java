package org.nas4j.spark;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
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
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.resource.ResourceInformation;
import org.nas4j.search.ShippedData;
import org.nas4j.search.TrialWorker;

/**
 * One trial as a Spark task: starts nas4j's trial worker process on the executor's host with the
 * trial on its standard input (then closed, so the worker exits after it), and returns the
 * worker's answer line; a failed trial's reason names the host. A crash of the worker (native,
 * out of memory) fails this task only; a worker that cannot answer leaves its last words in the
 * message. The worker's log goes to the run directory's logs/, so the run directory must be
 * reachable from the executors; the data too, unless shipped ({@code dataArchive}: the archive's
 * name among the task's files, holding {@code dataEntry}). A GPU task's worker sees only the GPU
 * Spark assigned it.
 */
final class TrialTask implements Function<String, String> {
    private static final long serialVersionUID = 1L;

    private final List<String> command;
    private final Map<String, String> environment;
    private final String log;
    private final String dataArchive;
    private final String dataEntry;
    private final boolean gpu;

    TrialTask(List<String> command, Map<String, String> environment, Path log, String dataArchive, String dataEntry, boolean gpu) {
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.log = log.toString();
        this.dataArchive = dataArchive;
        this.dataEntry = dataEntry;
        this.gpu = gpu;
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
        b.environment().put(TrialWorker.PARENT, Long.toString(ProcessHandle.current().pid()));
        if (dataArchive != null) {
            Path copy = Path.of(SparkFiles.get(dataArchive)).resolve(dataEntry);
            if (!Files.exists(copy)) {
                throw new IOException("on host " + host + ", the shipped data is not where Spark unpacks it: " + copy);
            }
            b.environment().put(ShippedData.ENV, copy.toString());
        }
        if (gpu) {
            b.environment().put("CUDA_VISIBLE_DEVICES", assignedGpu(host));
        }
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
            return onHost(answer, host);
        } finally {
            // Cancelled or failed: the worker must not outlive its task (else a retried trial would run twice at once).
            p.destroyForcibly();
        }
    }

    /** The GPU Spark's resource scheduling gave this task (spark.task.resource.gpu.amount 1). */
    private static String assignedGpu(String host) throws IOException {
        ResourceInformation gpus = TaskContext.get().resourcesJMap().get("gpu");
        if (gpus == null || gpus.addresses().length == 0) {
            throw new IOException("on host " + host + ", Spark assigned the task no GPU: its worker needs spark.worker.resource.gpu.amount"
                    + " and a discovery script (docs/cluster.md)");
        }
        return gpus.addresses()[0];
    }

    /** The worker's answer, a failed trial's reason saying on which host it failed (a path missing on one host, say). */
    private static String onHost(String answer, String host) {
        JsonObject trial = JsonParser.parseString(answer).getAsJsonObject();
        if (!"failed".equals(trial.get("status").getAsString()) || !trial.has("error")) {
            return answer;
        }
        trial.addProperty("error", trial.get("error").getAsString() + " (on host " + host + ")");
        return trial.toString();
    }
}
