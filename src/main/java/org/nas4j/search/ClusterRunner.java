package org.nas4j.search;

import java.io.IOException;
import org.nas4j.space.InputException;

/**
 * Runs a search's trials on a cluster ({@code nas search --cluster URL}): each trial one task that
 * starts nas4j's trial worker process ({@link TrialWorker#command}) where the cluster puts it. An
 * implementation lives outside nas4j's build (the Spark runner, built by scripts/spark-cluster.sh)
 * and is found with {@link java.util.ServiceLoader} on the class path.
 */
public interface ClusterRunner {
    /** Whether this runner takes the cluster's master URL (such as spark://host:7077). */
    boolean takes(String master);

    /**
     * A runner of up to {@code parallel} trials at once on {@code cluster}, each a task of
     * {@code threads} cores whose worker runs that many engine threads, on {@code device} (a GPU
     * device: one GPU per task, from the cluster's resource scheduling).
     */
    TrialRunner open(RunDirectory run, Cluster cluster, int parallel, int threads, String device) throws IOException, InputException;

    /** The runner that takes {@code master}, from the class path. */
    static ClusterRunner find(String master) throws InputException {
        for (ClusterRunner r : java.util.ServiceLoader.load(ClusterRunner.class)) {
            if (r.takes(master)) {
                return r;
            }
        }
        throw new InputException("--cluster " + master + ": no cluster runner on the class path takes it (Spark's is built by "
                + "scripts/spark-cluster.sh start, and scripts/nas adds it when --cluster is given; see docs/cluster.md)");
    }
}
