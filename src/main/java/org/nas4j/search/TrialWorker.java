package org.nas4j.search;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.nas4j.space.Architecture;
import org.nas4j.space.Architectures;
import org.nas4j.spec.Spec;
import org.nas4j.spec.SpecLoader;
import org.nas4j.train.Engines;
import org.nas4j.train.Progress;

/**
 * The main class of a worker process of {@code nas search --parallel N}: DJL allows one gradient
 * collector per process, so parallel trials need processes. It loads the run's spec and data
 * once, then reads one trial per line on standard input ({"id", "architecture", "budget"}) and answers each
 * with its journal entry on standard output; everything else it prints goes to standard error.
 */
public final class TrialWorker {
    private TrialWorker() {
    }

    /**
     * The command that starts a worker for {@code run} with {@code threads} engine threads on
     * {@code device}: this JVM's java, its class path, and its engine and data settings (offline
     * mode, data directory). Its environment should carry {@link Plugins#ENV} ({@link Plugins#environmentValue})
     * and {@link #PARENT}, the pid of the process that starts it.
     */
    public static List<String> command(Path run, int threads, String device) {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String name : System.getProperties().stringPropertyNames()) {
            if ((name.startsWith("ai.djl.") || name.startsWith("nas4j.")) && !name.startsWith("ai.djl.pytorch.num_")) {
                command.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        command.add("-Dai.djl.pytorch.num_threads=" + threads);
        command.add("-Dai.djl.pytorch.num_interop_threads=" + threads);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), TrialWorker.class.getName(), run.toAbsolutePath().toString(),
                device));
        return command;
    }

    /** The environment variable naming the process a worker lives for (its pid): the one that started it. */
    public static final String PARENT = "NAS4J_WORKER_PARENT";

    /**
     * Ends this worker as soon as the process that started it ends (a killed search, a lost Spark
     * executor): an orphan would train on for nothing, and a retried trial would run twice at once.
     * That process names itself in {@link #PARENT}, since it may be gone before this JVM is up.
     */
    private static void exitWithParent() {
        String named = System.getenv(PARENT);
        ProcessHandle parent = named != null && named.matches("[0-9]+") ? ProcessHandle.of(Long.parseLong(named)).orElse(null)
                : ProcessHandle.current().parent().orElse(null);
        Thread watch = new Thread(() -> {
            while (parent != null && parent.isAlive()) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.err.println("worker: the process that started it ended; exiting");
            Runtime.getRuntime().halt(3);
        }, "nas4j-worker-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }

    /** A worker's request line: the trial, its budget (null: the run's), and learning curves of finished trials it has not heard. */
    public static String request(int id, Architecture architecture, Integer budget, List<com.google.gson.JsonElement> curves) {
        JsonObject request = new JsonObject();
        request.addProperty("id", id);
        request.add("architecture", org.nas4j.space.Json.LINE.toJsonTree(architecture.asMap()));
        if (budget != null) {
            request.addProperty("budget", budget);
        }
        if (!curves.isEmpty()) {
            com.google.gson.JsonArray news = new com.google.gson.JsonArray();
            curves.forEach(news::add);
            request.add("curves", news);
        }
        return request.toString();
    }

    /** Runs the worker for the run directory and device (cpu, gpu, gpu:N) given as arguments until standard input closes. */
    public static void main(String[] args) throws Exception {
        exitWithParent();
        PrintStream answers = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Path dir = Path.of(args[0]);
        SpecLoader.Checked checked = null;
        Evaluator evaluator;
        String gpus = System.getenv("CUDA_VISIBLE_DEVICES");
        System.err.println("worker: device " + args[1] + (gpus != null ? ", CUDA_VISIBLE_DEVICES=" + gpus : ""));
        try {
            Engines.select(System.getenv());
            Plugins.installFromEnvironment(System.getenv());
            RunDirectory run = RunDirectory.read(dir);
            checked = run.spec();
            Spec trained = ShippedData.readingCopy(checked.spec(), System.getenv());
            if (trained != checked.spec()) {
                System.err.println("worker: data read from its shipped copy " + trained.data().path());
            }
            evaluator = SearchRun.evaluator(run, Progress.SILENT, Engines.device(args[1]), trained);
        } catch (Exception e) {
            System.err.println("worker: cannot start: " + e.getMessage());
            if (checked == null) {
                System.exit(1);
            }
            // The run is readable but its trials cannot train here (data damaged or missing on this host): each trial fails with
            // the reason, a user's error rather than a crash, so a cluster does not retry it.
            failEach(checked, "the trial's worker cannot start: " + e.getMessage(), answers);
            System.exit(1);
            return;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            Request r = Request.parse(line, checked);
            if (r.json().has("curves")) {
                for (com.google.gson.JsonElement curve : r.json().getAsJsonArray("curves")) {
                    List<Double> values = new java.util.ArrayList<>();
                    curve.getAsJsonArray().forEach(v -> values.add(v.getAsDouble()));
                    evaluator.heard(new Trial(0, r.architecture(), "ok", 0, java.util.Map.of("curve", values), 0, null));
                }
            }
            answers.println(SearchRun.evaluate(r.id(), r.architecture(), r.budget(), evaluator).toJson());
        }
        if (evaluator instanceof AutoCloseable c) {
            c.close();
        }
    }

    /** Answers every request on standard input with its trial failed for {@code reason}. */
    private static void failEach(SpecLoader.Checked checked, String reason, PrintStream answers) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            Request r = Request.parse(line, checked);
            answers.println(new Trial(r.id(), r.architecture(), "failed", Double.NaN, SearchRun.withBudget(java.util.Map.of(), r.budget()), 0,
                    reason).toJson());
        }
    }

    /** A request line ({@link #request}) read back: the trial, its budget (null: the run's), and the line itself. */
    private record Request(int id, Architecture architecture, Integer budget, JsonObject json) {
        static Request parse(String line, SpecLoader.Checked checked) throws org.nas4j.space.ArchitectureException {
            JsonObject json = JsonParser.parseString(line).getAsJsonObject();
            return new Request(json.get("id").getAsInt(), Architectures.read(json.get("architecture").toString(), checked.space()),
                    json.has("budget") ? json.get("budget").getAsInt() : null, json);
        }
    }
}
