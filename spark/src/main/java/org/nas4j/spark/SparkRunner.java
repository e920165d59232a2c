package org.nas4j.spark;

import java.io.IOException;
import org.nas4j.search.Cluster;
import org.nas4j.search.ClusterRunner;
import org.nas4j.search.RunDirectory;
import org.nas4j.search.TrialRunner;
import org.nas4j.space.InputException;

/** Runs trials on an Apache Spark cluster (spark://HOST:PORT, or local[N]): found by nas4j on the class path. */
public final class SparkRunner implements ClusterRunner {
    @Override
    public boolean takes(String master) {
        return master.startsWith("spark://") || master.startsWith("local");
    }

    @Override
    public TrialRunner open(RunDirectory run, Cluster cluster, int parallel, int threads, String device) throws IOException, InputException {
        return new SparkTrials(run, cluster, parallel, threads, device);
    }
}
