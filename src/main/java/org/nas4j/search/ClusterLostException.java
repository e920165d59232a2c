package org.nas4j.search;

import java.io.IOException;

/**
 * The cluster could not finish the search's trials (its application stopped, its executors gone):
 * no trial failed, the search stops, and the trials that were running run again when it resumes.
 */
public final class ClusterLostException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Says why the cluster lost the search's trials. */
    public ClusterLostException(String why) {
        super(why);
    }
}
