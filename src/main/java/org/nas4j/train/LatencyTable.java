package org.nas4j.train;

import java.util.HashMap;
import java.util.Map;
import org.nas4j.spec.Spec;
import org.nas4j.supernet.CompileException;
import org.nas4j.supernet.SupernetCompiler;

/**
 * Predicted latency: each block a child runs (an op, or a layer choice's chosen candidate) is
 * timed alone at its input shape the first time any child needs it, and a child's latency is the
 * sum of its blocks'. After the first children, most predictions cost no measurement at all.
 */
public final class LatencyTable {
    private final Spec spec;
    private final int batch;
    private final ai.djl.Device device;
    private final Map<String, Double> measured = new HashMap<>();

    /** An empty table for the children of {@code spec}, timed at {@code batch} samples on {@code device}. */
    public LatencyTable(Spec spec, int batch, ai.djl.Device device) {
        this.spec = spec;
        this.batch = batch;
        this.device = device;
    }

    /** The predicted milliseconds of a child's forward pass. */
    public double predict(Map<String, Object> architecture) throws CompileException {
        double sum = 0;
        for (SupernetCompiler.Part part : SupernetCompiler.parts(spec, architecture)) {
            Double ms = measured.get(part.what());
            if (ms == null) {
                ms = Latency.measure(part.block(), part.input(), batch, device);
                measured.put(part.what(), ms);
            }
            sum += ms;
        }
        return sum;
    }

    /** How many blocks have been timed so far. */
    public int size() {
        return measured.size();
    }
}
