package org.nas4j.spark;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.nas4j.search.Cluster;
import org.nas4j.search.ClusterLostException;
import org.nas4j.search.Plugins;
import org.nas4j.search.RunDirectory;
import org.nas4j.search.SearchRun;
import org.nas4j.search.Trial;
import org.nas4j.search.TrialRunner;
import org.nas4j.search.TrialWorker;
import org.nas4j.space.Architecture;
import org.nas4j.space.InputException;
import org.nas4j.space.Json;
import org.nas4j.space.SearchSpace;

/**
 * A search's trials as Spark jobs of one task each, started from the search's threads (the
 * strategy stays here, in the driver): up to {@code parallel} at once, each waited for on a
 * thread of its own and handed back as the journal's trial. A trial whose task fails twice (a
 * lost executor is retried once, Spark's spark.task.maxFailures 2) comes back failed with the
 * reason; user and model errors come back from the worker as failed trials and are never retried.
 * A trial the cluster itself could not finish (its application stopped, no executor left) is not
 * a failed trial: the search stops, and the trial runs again when the search is resumed.
 */
final class SparkTrials implements TrialRunner {
    /** How often a waiting trial checks that the cluster still runs its application (a collect can wait forever otherwise). */
    private static final long CHECK_SECONDS = 5;
    /** How long the search waits for a first executor before it gives up (Spark would wait without limit). */
    private static final long NO_EXECUTOR_SECONDS = 60;

    /** The name of the shipped data's archive among the tasks' files. */
    private static final String DATA_ARCHIVE = "nas4j-data.zip";

    private final RunDirectory run;
    private final String master;
    private final int threads;
    private final boolean gpu;
    /** When the search last saw an executor besides the driver (at first: when it opened), and whether it ever did. */
    private volatile long executorSeen = System.nanoTime();
    private volatile boolean hadExecutor;
    /** Why the cluster cannot run this search's trials any more (null while it can): the next submit says so. */
    private volatile String gone;
    private final SearchSpace space;
    private final int parallel;
    private final List<String> command;
    private final JavaSparkContext spark;
    /** The folder of the shipped data's archive on this machine (null: nothing shipped). */
    private final Path shippedDir;
    private final String shippedEntry;
    private final List<JsonElement> curves = new ArrayList<>();
    private final BlockingQueue<Finished> done = new LinkedBlockingQueue<>();
    private final List<JavaFutureAction<List<String>>> running = new ArrayList<>();
    private final ExecutorService waiting = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "nas4j-spark-trial");
        t.setDaemon(true);
        return t;
    });

    /** A trial that finished, or why the cluster could not finish it ({@code lost}: then it is not journalled). */
    private record Finished(Trial trial, String lost) {
    }

    SparkTrials(RunDirectory run, Cluster cluster, int parallel, int threads, String device) throws InputException, IOException {
        this.run = run;
        this.master = cluster.master();
        this.threads = threads;
        this.gpu = device.startsWith("gpu");
        this.space = run.spec().space();
        this.parallel = parallel;
        // A GPU task's worker sees the one GPU Spark assigned it, as its first.
        this.command = TrialWorker.command(run.path(), threads, gpu ? "gpu" : device);
        reachable(master);
        SparkConf conf = new SparkConf().setMaster(master).setAppName("nas4j " + run.path().getFileName())
                .set("spark.task.maxFailures", "2")
                .set("spark.speculation", "false")
                .set("spark.ui.enabled", "false")
                // Each task holds the cores its worker's engine threads use: one task per executor, --parallel executors.
                .set("spark.cores.max", Integer.toString(parallel * threads))
                .set("spark.executor.cores", Integer.toString(threads))
                .set("spark.task.cpus", Integer.toString(threads))
                .set("spark.executor.memory", "512m")
                // The executors load nas4j's classes from where this process does (one class loader for DJL).
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        if (gpu) {
            conf.set("spark.executor.resource.gpu.amount", "1").set("spark.task.resource.gpu.amount", "1");
        }
        if (cluster.data() != null) {
            shippedDir = Files.createTempDirectory("nas4j-data");
            shippedEntry = cluster.data().source().getFileName().toString();
            DataArchive.write(cluster.data().source(), shippedDir.resolve(DATA_ARCHIVE));
        } else {
            shippedDir = null;
            shippedEntry = null;
        }
        try {
            this.spark = new JavaSparkContext(conf);
            if (shippedDir != null) {
                spark.sc().addArchive(shippedDir.resolve(DATA_ARCHIVE).toUri().toString());
            }
        } catch (RuntimeException e) {
            removeShipped();
            throw new InputException("--cluster " + master + ": Spark could not start its application: " + e.getMessage());
        }
    }

    /** Refuses a standalone master that nothing answers at (Spark itself would retry for a minute, printing stack traces). */
    private static void reachable(String master) throws InputException {
        if (!master.startsWith("spark://")) {
            return;
        }
        java.net.URI uri = java.net.URI.create(master);
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 7077 : uri.getPort()), 5000);
        } catch (IOException | IllegalArgumentException e) {
            throw new InputException("--cluster " + master + ": no Spark master answers there (" + e.getMessage()
                    + "); scripts/spark-cluster.sh start starts one on this machine");
        }
    }

    @Override
    public int capacity() {
        return parallel;
    }

    @Override
    public void heard(Trial trial) {
        if (trial.metrics().get("curve") instanceof List<?> curve) {
            synchronized (curves) {
                curves.add(Json.LINE.toJsonTree(curve));
            }
        }
    }

    @Override
    public void submit(int id, Architecture architecture, Integer budget) throws IOException {
        String lost = lost();
        if (lost != null) {
            throw new ClusterLostException(lost);
        }
        String request;
        synchronized (curves) {
            request = TrialWorker.request(id, architecture, budget, curves);
        }
        // The worker's engine threads: OpenMP's too, which would otherwise take every core of the host.
        Map<String, String> environment = new java.util.HashMap<>(Map.of(Plugins.ENV, Plugins.environmentValue(), "OMP_NUM_THREADS",
                Integer.toString(threads)));
        // glibc's allocator settings this process was given (scripts/allocator.sh): an executor's environment lacks them.
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("MALLOC_")) {
                environment.put(name, value);
            }
        });
        TrialTask task = new TrialTask(command, environment, run.workerLog(id), shippedDir == null ? null : DATA_ARCHIVE, shippedEntry, gpu);
        JavaFutureAction<List<String>> job = spark.parallelize(List.of(request), 1).map(task).collectAsync();
        synchronized (running) {
            running.add(job);
        }
        long started = System.nanoTime();
        waiting.submit(() -> done.add(result(job, id, architecture, budget, started)));
    }

    /** The trial the job gave, a failed one saying why it gave none, or why the cluster lost it. */
    private Finished result(JavaFutureAction<List<String>> job, int id, Architecture architecture, Integer budget, long started) {
        String why;
        try {
            while (true) {
                try {
                    List<String> answer = job.get(CHECK_SECONDS, TimeUnit.SECONDS);
                    return new Finished(Trial.fromJson(JsonParser.parseString(answer.get(0)).getAsJsonObject(), space), null);
                } catch (TimeoutException e) {
                    String lost = lost();
                    if (lost != null) {
                        job.cancel(true);
                        return new Finished(null, lost);
                    }
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            why = "on the cluster, after Spark's one retry: " + taskReason(cause.getMessage() == null ? cause.toString() : cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.cancel(true);
            return new Finished(null, "interrupted");
        } catch (RuntimeException e) {
            why = "the worker's answer could not be read: " + e.getMessage();
        } finally {
            synchronized (running) {
                running.remove(job);
            }
        }
        return new Finished(new Trial(id, architecture, "failed", Double.NaN, SearchRun.withBudget(Map.of(), budget),
                (System.nanoTime() - started) / 1e9, why), null);
    }

    /**
     * The task's own reason in Spark's job-aborted message ("... most recent failure: Lost task 0.1 in
     * stage 0.0 (TID 1) (HOST executor 1): java.io.IOException: REASON", then the task's stack).
     */
    static String taskReason(String message) {
        String first = message.lines().findFirst().orElse(message);
        int recent = first.indexOf("most recent failure: ");
        if (recent >= 0) {
            String rest = first.substring(recent);
            int at = rest.indexOf("): ");
            first = at >= 0 ? rest.substring(at + 3) : rest;
        }
        return first.replaceFirst("^[\\w.$]+(Exception|Error): ", "").trim();
    }

    /** Why the cluster can no longer run the search's tasks (its application stopped, no executor for a minute), or null. */
    private String lost() {
        if (gone != null) {
            return gone;
        }
        if (spark.sc().isStopped()) {
            return gone = "the Spark cluster stopped the search's application (the master's log says why)";
        }
        if (!master.startsWith("spark://")) {
            return null;
        }
        // The driver counts as one executor.
        if (spark.sc().statusTracker().getExecutorInfos().length > 1) {
            executorSeen = System.nanoTime();
            hadExecutor = true;
        } else if (System.nanoTime() - executorSeen > TimeUnit.SECONDS.toNanos(NO_EXECUTOR_SECONDS)) {
            String needs = threads + " free core" + (threads == 1 ? "" : "s") + (gpu ? ", a GPU" : "") + " and 512 MB";
            gone = hadExecutor
                    ? "the Spark cluster at " + master + " lost the search's executors and gave it none for " + NO_EXECUTOR_SECONDS
                            + " s: are its master and workers up (each with " + needs + " free)?"
                    : "no Spark executor came to run the search's tasks in " + NO_EXECUTOR_SECONDS + " s: is a worker registered with "
                            + master + ", with " + needs + "?";
        }
        return gone;
    }

    @Override
    public Trial take() throws IOException, InterruptedException {
        Finished f = done.take();
        if (f.lost() != null) {
            throw new ClusterLostException(f.lost());
        }
        return f.trial();
    }

    @Override
    public void close() {
        synchronized (running) {
            running.forEach(job -> job.cancel(true));
        }
        waiting.shutdownNow();
        spark.stop();
        removeShipped();
    }

    private void removeShipped() {
        if (shippedDir != null) {
            try {
                Files.deleteIfExists(shippedDir.resolve(DATA_ARCHIVE));
                Files.deleteIfExists(shippedDir);
            } catch (IOException e) {
                // A temporary file left behind is all this costs.
            }
        }
    }
}
