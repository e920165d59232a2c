package org.nas4j.spark;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
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
 */
final class SparkTrials implements TrialRunner {
    /** How often a waiting trial checks that the cluster still runs its application (a collect can wait forever otherwise). */
    private static final long CHECK_SECONDS = 5;
    /** How long the search waits for a first executor before it gives up (Spark would wait without limit). */
    private static final long NO_EXECUTOR_SECONDS = 60;

    private final RunDirectory run;
    private final String master;
    private final long opened = System.nanoTime();
    /** Why the cluster cannot run this search's trials any more (null while it can): the next submit says so. */
    private volatile String gone;
    private final SearchSpace space;
    private final int parallel;
    private final List<String> command;
    private final JavaSparkContext spark;
    private final List<JsonElement> curves = new ArrayList<>();
    private final BlockingQueue<Trial> done = new LinkedBlockingQueue<>();
    private final List<JavaFutureAction<List<String>>> running = new ArrayList<>();
    private final ExecutorService waiting = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "nas4j-spark-trial");
        t.setDaemon(true);
        return t;
    });

    SparkTrials(RunDirectory run, String master, int parallel, int threads, String device) throws InputException {
        this.run = run;
        this.master = master;
        this.space = run.spec().space();
        this.parallel = parallel;
        this.command = TrialWorker.command(run.path(), threads, device);
        reachable(master);
        SparkConf conf = new SparkConf().setMaster(master).setAppName("nas4j " + run.path().getFileName())
                .set("spark.task.maxFailures", "2")
                .set("spark.speculation", "false")
                .set("spark.ui.enabled", "false")
                .set("spark.cores.max", Integer.toString(parallel))
                .set("spark.executor.cores", "1")
                .set("spark.executor.memory", "512m")
                // The executors load nas4j's classes from where this process does (one class loader for DJL).
                .set("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        try {
            this.spark = new JavaSparkContext(conf);
        } catch (RuntimeException e) {
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
        if (spark.sc().isStopped() || gone != null) {
            throw new IOException((gone != null ? gone : "the Spark cluster ended this search's application (the master's log says why)")
                    + "; the run stays resumable: nas search --resume " + run.path());
        }
        String request;
        synchronized (curves) {
            request = TrialWorker.request(id, architecture, budget, curves);
        }
        TrialTask task = new TrialTask(command, Map.of(Plugins.ENV, Plugins.environmentValue()), run.workerLog(id));
        JavaFutureAction<List<String>> job = spark.parallelize(List.of(request), 1).map(task).collectAsync();
        synchronized (running) {
            running.add(job);
        }
        long started = System.nanoTime();
        waiting.submit(() -> done.add(result(job, id, architecture, budget, started)));
    }

    /** The trial the job gave, or a failed one saying why it gave none. */
    private Trial result(JavaFutureAction<List<String>> job, int id, Architecture architecture, Integer budget, long started) {
        String why;
        try {
            while (true) {
                try {
                    List<String> answer = job.get(CHECK_SECONDS, TimeUnit.SECONDS);
                    return Trial.fromJson(JsonParser.parseString(answer.get(0)).getAsJsonObject(), space);
                } catch (TimeoutException e) {
                    if (spark.sc().isStopped()) {
                        job.cancel(true);
                        why = "the cluster stopped the search's application before the trial finished";
                        break;
                    }
                    // The driver counts as one executor; none besides it since the start: no worker took the application.
                    if (master.startsWith("spark://") && spark.sc().statusTracker().getExecutorInfos().length <= 1
                            && System.nanoTime() - opened > TimeUnit.SECONDS.toNanos(NO_EXECUTOR_SECONDS)) {
                        job.cancel(true);
                        why = gone = "no Spark executor came to run the search's tasks in " + NO_EXECUTOR_SECONDS + " s: is a worker registered"
                                + " with " + master + ", with a free core and 512 MB?";
                        break;
                    }
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            // Spark wraps the task's own exception in a job-aborted message; its last line is the task's reason.
            why = "on the cluster: " + message.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse(message).trim();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.cancel(true);
            why = "interrupted";
        } catch (RuntimeException e) {
            why = "the worker's answer could not be read: " + e.getMessage();
        } finally {
            synchronized (running) {
                running.remove(job);
            }
        }
        return new Trial(id, architecture, "failed", Double.NaN, SearchRun.withBudget(Map.of(), budget), (System.nanoTime() - started) / 1e9,
                why);
    }

    @Override
    public Trial take() throws InterruptedException {
        return done.take();
    }

    @Override
    public void close() {
        synchronized (running) {
            running.forEach(job -> job.cancel(true));
        }
        waiting.shutdownNow();
        spark.stop();
    }
}
