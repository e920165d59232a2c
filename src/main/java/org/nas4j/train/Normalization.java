package org.nas4j.train;

import java.util.Arrays;
import java.util.Locale;
import org.nas4j.space.InputException;
import org.nas4j.spec.Spec;

/**
 * Standardisation of image values in [0, 1]: {@code (x - mean[c]) / std[c]} per channel, or one
 * mean and standard deviation for all channels (arrays of length 1). Measured on training values
 * fed to {@link Stats}, or as the spec gives them.
 *
 * @param mean per channel, or one for all
 * @param std  per channel, or one for all; each above 0
 */
public record Normalization(float[] mean, float[] std) {

    /** The mean of channel {@code c}. */
    public float mean(int c) {
        return mean[mean.length == 1 ? 0 : c];
    }

    /** The standard deviation of channel {@code c}. */
    public float std(int c) {
        return std[std.length == 1 ? 0 : c];
    }

    /** How a run says what it standardised with. */
    public String describe() {
        return String.format(Locale.ROOT, "mean %s, std %s", round(mean), round(std));
    }

    private static String round(float[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4f", v[i]));
        }
        return b.append(']').toString();
    }

    /** Sums of training values per channel, from which a normalisation is measured. */
    static final class Stats {
        private final double[] sum;
        private final double[] squares;
        private final long[] count;

        Stats(int channels) {
            sum = new double[channels];
            squares = new double[channels];
            count = new long[channels];
        }

        /** Adds one value of channel {@code c}, in [0, 1]. */
        void add(int c, double v) {
            sum[c] += v;
            squares[c] += v * v;
            count[c]++;
        }

        /** Adds {@code n} values of channel {@code c} by their sum and sum of squares. */
        void add(int c, double valueSum, double squareSum, long n) {
            sum[c] += valueSum;
            squares[c] += squareSum;
            count[c] += n;
        }

        /**
         * The normalisation the spec asks for: its own values (checked against the channels),
         * each channel's measured ({@code auto}), or by default one measured over all channels.
         */
        Normalization resolve(Spec.NormalizeSpec spec, String dataset) throws InputException {
            int channels = sum.length;
            if (spec != null && !spec.auto()) {
                if (spec.mean().size() != 1 && spec.mean().size() != channels) {
                    throw new InputException("data.normalize gives " + spec.mean().size() + " means and standard deviations, but " + dataset
                            + " images have " + channels + " channel" + (channels == 1 ? "" : "s"));
                }
                float[] m = new float[spec.mean().size()];
                float[] s = new float[m.length];
                for (int i = 0; i < m.length; i++) {
                    m[i] = spec.mean().get(i).floatValue();
                    s[i] = spec.std().get(i).floatValue();
                }
                return new Normalization(m, s);
            }
            boolean perChannel = spec != null;
            int k = perChannel ? channels : 1;
            float[] m = new float[k];
            float[] s = new float[k];
            for (int i = 0; i < k; i++) {
                double total = perChannel ? sum[i] : Arrays.stream(sum).sum();
                double sq = perChannel ? squares[i] : Arrays.stream(squares).sum();
                long n = perChannel ? count[i] : Arrays.stream(count).sum();
                double mean = total / Math.max(1, n);
                double std = Math.sqrt(Math.max(0, sq / Math.max(1, n) - mean * mean));
                m[i] = (float) mean;
                s[i] = std > 1e-6 ? (float) std : 1f;
            }
            return new Normalization(m, s);
        }
    }
}
