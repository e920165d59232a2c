package org.nas4j.search;

import java.io.IOException;
import org.nas4j.space.Architecture;

/**
 * Runs trials for a search: in this process one at a time, or in worker processes several at
 * once. Results come back in the order trials finish, which need not be the order they started.
 */
public interface TrialRunner extends AutoCloseable {

    /** How many trials may run at once. */
    int capacity();

    /** Starts a trial at {@code budget} epochs (null: the run's); at most {@link #capacity()} may be running. */
    void submit(int id, Architecture architecture, Integer budget) throws IOException;

    /** Waits for the next trial to finish and returns it (failed, with its reason, when it could not run). */
    Trial take() throws IOException, InterruptedException;

    @Override
    void close();

    /** A trial of the journal, finished before this runner started: its evaluator may learn from it. */
    default void heard(Trial trial) {
    }

    /** Runs each trial in this process, when it is taken. */
    static TrialRunner inProcess(Evaluator evaluator) {
        return new TrialRunner() {
            private int id;
            private Architecture architecture;
            private Integer budget;

            @Override
            public int capacity() {
                return 1;
            }

            @Override
            public void heard(Trial trial) {
                evaluator.heard(trial);
            }

            @Override
            public void submit(int trialId, Architecture arch, Integer trialBudget) {
                this.id = trialId;
                this.architecture = arch;
                this.budget = trialBudget;
            }

            @Override
            public Trial take() {
                return SearchRun.evaluate(id, architecture, budget, evaluator);
            }

            @Override
            public void close() {
                if (evaluator instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        // Closing frees native memory; nothing to report to the user.
                    }
                }
            }
        };
    }
}
