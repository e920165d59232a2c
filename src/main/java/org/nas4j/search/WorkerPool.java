package org.nas4j.search;

import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.nas4j.space.Architecture;
import org.nas4j.space.InputException;
import org.nas4j.space.Json;
import org.nas4j.spec.SpecLoader;

/**
 * Runs trials in worker processes ({@link TrialWorker}), one trial per worker at a time. A worker
 * that dies fails the trial it was running, with its exit code and the last line it wrote, and
 * the next trial it is given starts a fresh process. Each worker's standard error goes to
 * DIR/logs/worker-K.log. Workers train on the placement's device; given GPUs of their own, each
 * sees only its own (CUDA_VISIBLE_DEVICES in its environment).
 */
final class WorkerPool implements TrialRunner {
    private final RunDirectory run;
    private final SpecLoader.Checked checked;
    private final Placement placement;
    private final List<Worker> workers = new ArrayList<>();
    private final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
    /** The learning curves of finished trials, for the workers' stopping rule. */
    private final List<com.google.gson.JsonElement> curves = new ArrayList<>();

    /** A trial a worker finished, or (trial null) the end of one of its processes. */
    private record Finished(Worker worker, Process process, Trial trial) { }

    /** One worker process and the trial it is running (null when idle). */
    private final class Worker {
        final int number;
        Process process;
        Writer requests;
        Integer trialId;
        Architecture architecture;
        Integer budget;
        long started;
        /** How many of the finished trials' learning curves this process has been sent. */
        int curvesSent;

        Worker(int number) {
            this.number = number;
        }

        Path log() throws IOException {
            return run.workerLog(number);
        }

        void start() throws IOException {
            // A worker given GPUs of its own sees only those, and trains on the first.
            List<String> gpus = placement.workerGpus();
            List<String> command = TrialWorker.command(run.path(), placement.threadsEach(), gpus == null ? placement.device() : "gpu");
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log().toFile()));
            // The worker loads the plug-ins this process has, wherever they came from (--plugin or the environment).
            builder.environment().put(Plugins.ENV, Plugins.environmentValue());
            builder.environment().put(TrialWorker.PARENT, Long.toString(ProcessHandle.current().pid()));
            if (gpus != null) {
                builder.environment().put("CUDA_VISIBLE_DEVICES", gpus.get(number - 1));
            }
            process = builder.start();
            requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Process mine = process;
            Thread reader = new Thread(() -> read(mine), "nas4j-worker-" + number);
            reader.setDaemon(true);
            reader.start();
        }

        /** Hands each answer of the process to the search; when it ends, fails the trial it was running. */
        private void read(Process mine) {
            try (BufferedReader answers = new BufferedReader(new InputStreamReader(mine.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = answers.readLine()) != null) {
                    finished.add(new Finished(this, mine, Trial.fromJson(JsonParser.parseString(line).getAsJsonObject(), checked.space())));
                }
            } catch (IOException | RuntimeException | Error e) {
                // Treated as the process's death below: whatever ends this thread, the search must hear of it, or it waits forever.
            }
            try {
                mine.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished.add(new Finished(this, mine, null));
        }

        String death() {
            String code = process.isAlive() ? "stopped answering" : "exited with code " + process.exitValue();
            String last = "";
            String where = "";
            try {
                Path log = log();
                where = " (" + log + ")";
                List<String> lines = Files.readAllLines(log);
                last = lines.isEmpty() ? "" : "; its last words: " + lines.get(lines.size() - 1).trim();
            } catch (IOException e) {
                // No log to quote.
            }
            return "the worker process running this trial " + code + last + where;
        }
    }

    WorkerPool(RunDirectory run, Placement placement) throws InputException {
        this.run = run;
        this.checked = run.spec();
        this.placement = placement;
        for (int k = 1; k <= placement.workers(); k++) {
            workers.add(new Worker(k));
        }
    }

    @Override
    public int capacity() {
        return workers.size();
    }

    @Override
    public void heard(Trial trial) {
        if (trial.metrics().get("curve") instanceof List<?> curve) {
            curves.add(Json.LINE.toJsonTree(curve));
        }
    }

    @Override
    public void submit(int id, Architecture architecture, Integer budget) throws IOException {
        Worker w = workers.stream().filter(x -> x.trialId == null).findFirst()
                .orElseThrow(() -> new IllegalStateException("every worker is busy"));
        if (w.process == null || !w.process.isAlive()) {
            w.start();
            w.curvesSent = 0;
        }
        w.trialId = id;
        w.architecture = architecture;
        w.budget = budget;
        w.started = System.nanoTime();
        // With the curves finished since this worker last heard: its stopping rule judges by them.
        String request = TrialWorker.request(id, architecture, budget, curves.subList(w.curvesSent, curves.size()));
        w.curvesSent = curves.size();
        try {
            w.requests.write(request + "\n");
            w.requests.flush();
        } catch (IOException e) {
            // The process died before it could read the trial: the reader thread reports it.
        }
    }

    @Override
    public Trial take() throws InterruptedException {
        while (true) {
            Finished f = finished.take();
            Worker w = f.worker();
            if (f.trial() != null) {
                w.trialId = null;
                return f.trial();
            }
            if (w.trialId != null && f.process() == w.process) {
                int id = w.trialId;
                w.trialId = null;
                return new Trial(id, w.architecture, "failed", Double.NaN, SearchRun.withBudget(Map.of(), w.budget),
                        (System.nanoTime() - w.started) / 1e9, w.death());
            }
            // An idle worker ended (for example after its input closed): the next trial starts a fresh one.
        }
    }

    @Override
    public void close() {
        for (Worker w : workers) {
            if (w.process != null) {
                try {
                    w.requests.close();
                } catch (IOException e) {
                    // Already gone.
                }
            }
        }
        for (Worker w : workers) {
            if (w.process != null) {
                try {
                    if (!w.process.waitFor(10, TimeUnit.SECONDS)) {
                        w.process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    w.process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
