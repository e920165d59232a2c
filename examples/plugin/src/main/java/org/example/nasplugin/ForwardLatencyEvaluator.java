package org.example.nasplugin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import org.nas4j.search.Evaluator;
import org.nas4j.search.EvaluatorPlugin;

/**
 * An evaluator type for nas4j: the child's forward time on this machine, faster scoring higher
 * ({@code search.evaluator: {type: forward-latency, batch: 1, runs: 20}}). Stands for a team's own
 * measurement: it gets each child as a DJL block and returns a score and the metrics to record.
 */
public final class ForwardLatencyEvaluator implements EvaluatorPlugin {
    @Override
    public String type() {
        return "forward-latency";
    }

    @Override
    public List<String> fields() {
        return List.of("batch", "runs");
    }

    @Override
    public Evaluator create(Context context) {
        int batch = Integer.parseInt(context.options().getOrDefault("batch", "1"));
        int runs = Integer.parseInt(context.options().getOrDefault("runs", "20"));
        if (batch < 1 || runs < 1) {
            throw new IllegalArgumentException("batch and runs must be at least 1, got " + batch + " and " + runs);
        }
        long[] dims = new long[context.input().size() + 1];
        dims[0] = batch;
        for (int i = 0; i < context.input().size(); i++) {
            dims[i + 1] = context.input().get(i);
        }
        Shape shape = new Shape(dims);
        return architecture -> {
            Block block = context.child(architecture);
            try (NDManager manager = NDManager.newBaseManager(context.device())) {
                block.initialize(manager, DataType.FLOAT32, shape);
                NDArray x = manager.randomUniform(0, 1, shape);
                ParameterStore store = new ParameterStore(manager, false);
                block.forward(store, new NDList(x), false).close();
                long start = System.nanoTime();
                for (int i = 0; i < runs; i++) {
                    block.forward(store, new NDList(x), false).close();
                }
                double ms = (System.nanoTime() - start) / 1e6 / runs;
                return new Evaluator.Evaluation(-ms, Map.of("latency_ms", ms));
            }
        };
    }
}
