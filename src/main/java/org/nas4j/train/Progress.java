package org.nas4j.train;

/** Hears how training goes, to show it. */
public interface Progress {

    /** After each training step: running loss and accuracy of the epoch so far, and speed. */
    void step(int epoch, int epochs, int step, int steps, double loss, double accuracy, double samplesPerSecond);

    /** After each epoch, with the validation accuracy (NaN when there is no validation data). */
    void epoch(int epoch, int epochs, double loss, double accuracy, double validationAccuracy);

    /** A listener that shows nothing. */
    Progress SILENT = new Progress() {
        @Override
        public void step(int epoch, int epochs, int step, int steps, double loss, double accuracy, double samplesPerSecond) {
        }

        @Override
        public void epoch(int epoch, int epochs, double loss, double accuracy, double validationAccuracy) {
        }
    };
}
