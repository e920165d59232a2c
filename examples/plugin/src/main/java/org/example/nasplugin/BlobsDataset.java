package org.example.nasplugin;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import java.util.List;
import java.util.Random;
import org.nas4j.train.DatasetPlugin;

/**
 * A dataset kind for nas4j: Gaussian blobs, one per class, in as many dimensions as the spec's
 * input has ({@code data: {dataset: blobs, samples: 600, spread: 1.0}}). Stands for a team's own
 * data source: whatever it reads, it hands nas4j DJL datasets of single samples.
 */
public final class BlobsDataset implements DatasetPlugin {
    @Override
    public String kind() {
        return "blobs";
    }

    @Override
    public List<String> fields() {
        return List.of("samples", "spread");
    }

    @Override
    public Samples load(Request request) {
        if (request.input().size() != 1) {
            throw new IllegalArgumentException("blobs are points: the spec's input must be [features], got " + request.input());
        }
        int samples = Integer.parseInt(request.options().getOrDefault("samples", "600"));
        double spread = Double.parseDouble(request.options().getOrDefault("spread", "1.0"));
        if (samples < 2 * request.classes()) {
            throw new IllegalArgumentException("samples must be at least 2 per class, got " + samples);
        }
        int features = request.input().get(0);
        Random random = new Random(request.seed());
        float[][] centres = new float[request.classes()][features];
        for (float[] c : centres) {
            for (int f = 0; f < features; f++) {
                c[f] = (float) (random.nextGaussian() * 3);
            }
        }
        return new Samples(points(request.manager(), random, centres, samples, spread),
                points(request.manager(), random, centres, samples / 4, spread));
    }

    private static ArrayDataset points(NDManager manager, Random random, float[][] centres, int n, double spread) {
        int features = centres[0].length;
        float[] x = new float[n * features];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            int label = i % centres.length;
            for (int f = 0; f < features; f++) {
                x[i * features + f] = centres[label][f] + (float) (random.nextGaussian() * spread);
            }
            y[i] = label;
        }
        NDArray data = manager.create(x, new Shape(n, features));
        return new ArrayDataset.Builder().setData(data).optLabels(manager.create(y)).setSampling(1, false).build();
    }
}
