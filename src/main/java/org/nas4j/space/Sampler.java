package org.nas4j.space;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Draws, mutates and enumerates architectures of a space, for every kind of decision: any-subset
 * and fixed n-chosen input choices, value and depth choices included.
 */
public final class Sampler {
    private final SearchSpace space;

    /** A sampler over {@code space}. */
    public Sampler(SearchSpace space) {
        this.space = space;
    }

    /** An architecture drawn uniformly: every decision independently, every value equally likely. */
    public Architecture random(Random random) {
        Map<String, Object> arch = new TreeMap<>();
        for (Decision d : space.decisions().values()) {
            arch.put(d.key(), randomValue(d, random));
        }
        return Architecture.of(arch);
    }

    /** A uniformly drawn value of one decision. */
    public static Object randomValue(Decision d, Random random) {
        if (d instanceof Decision.LayerChoice lc) {
            return lc.candidates().get(random.nextInt(lc.candidates().size()));
        } else if (d instanceof Decision.InputChoice ic) {
            List<String> chosen = new ArrayList<>();
            if (ic.nChosen() == null) {
                for (String f : ic.from()) {
                    if (random.nextBoolean()) {
                        chosen.add(f);
                    }
                }
                return List.copyOf(chosen);
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < ic.from().size(); i++) {
                order.add(i);
            }
            java.util.Collections.shuffle(order, random);
            List<Integer> picked = new ArrayList<>(order.subList(0, ic.nChosen()));
            picked.sort(null);
            picked.forEach(i -> chosen.add(ic.from().get(i)));
            return List.copyOf(chosen);
        } else if (d instanceof Decision.DepthChoice dc) {
            return dc.depths().get(random.nextInt(dc.depths().size()));
        }
        List<Number> values = ((Decision.ValueChoice) d).values();
        return values.get(random.nextInt(values.size()));
    }

    /**
     * A neighbour: one decision (among those with more than one value) changed to another value;
     * an any-subset input choice flips one input, a fixed one swaps a chosen input for another.
     */
    public Architecture mutate(Architecture parent, Random random) {
        List<Decision> open = space.decisions().values().stream().filter(d -> d.count().compareTo(BigInteger.ONE) > 0).toList();
        if (open.isEmpty()) {
            return parent;
        }
        Decision d = open.get(random.nextInt(open.size()));
        Object current = parent.get(d.key());
        if (d instanceof Decision.InputChoice ic) {
            List<String> chosen = new ArrayList<>(parent.inputs(d.key()));
            if (ic.nChosen() == null) {
                String f = ic.from().get(random.nextInt(ic.from().size()));
                if (!chosen.remove(f)) {
                    chosen.add(f);
                }
            } else {
                List<String> unchosen = new ArrayList<>(ic.from());
                unchosen.removeAll(chosen);
                chosen.set(random.nextInt(chosen.size()), unchosen.get(random.nextInt(unchosen.size())));
            }
            return parent.with(d.key(), ic.from().stream().filter(chosen::contains).toList());
        }
        Object next;
        do {
            next = randomValue(d, random);
        } while (next.equals(current));
        return parent.with(d.key(), next);
    }

    /** Spaces up to this size are walked whole when random draws keep missing, so "none left" is the truth. */
    private static final BigInteger WALKABLE = BigInteger.valueOf(1_000_000);

    /**
     * An architecture that {@code fits} (admissible and not seen before, say): up to {@code draws}
     * uniform draws, then, in a space of at most a million, every architecture from a random
     * position on. Null only when none fits (or, in a larger space, none was found).
     */
    public Architecture fitting(Random random, int draws, java.util.function.Predicate<Architecture> fits) {
        for (int i = 0; i < draws; i++) {
            Architecture arch = random(random);
            if (fits.test(arch)) {
                return arch;
            }
        }
        BigInteger size = space.size();
        if (size.compareTo(WALKABLE) > 0) {
            return null;
        }
        long n = size.longValueExact();
        long start = Math.floorMod(random.nextLong(), n);
        for (long k = 0; k < n; k++) {
            Architecture arch = at(BigInteger.valueOf((start + k) % n));
            if (fits.test(arch)) {
                return arch;
            }
        }
        return null;
    }

    /** The architecture at a position of the grid (0 to size - 1), in a stable order: decisions by key, values as listed. */
    public Architecture at(BigInteger index) {
        Map<String, Object> arch = new TreeMap<>();
        BigInteger rest = index;
        for (Decision d : space.decisions().values()) {
            BigInteger[] qr = rest.divideAndRemainder(d.count());
            rest = qr[0];
            arch.put(d.key(), valueAt(d, qr[1].longValueExact()));
        }
        return Architecture.of(arch);
    }

    /** A decision's value at a position of its own order (candidates and values as listed, subsets by rank). */
    public static Object valueAt(Decision d, long i) {
        if (d instanceof Decision.LayerChoice lc) {
            return lc.candidates().get((int) i);
        } else if (d instanceof Decision.InputChoice ic) {
            List<String> chosen = new ArrayList<>();
            if (ic.nChosen() == null) {
                for (int k = 0; k < ic.from().size(); k++) {
                    if ((i >> k & 1) == 1) {
                        chosen.add(ic.from().get(k));
                    }
                }
                return List.copyOf(chosen);
            }
            // the i-th k-subset in lexicographic order of positions
            int n = ic.from().size();
            int k = ic.nChosen();
            long rank = i;
            int start = 0;
            for (int left = k; left > 0; left--) {
                for (int p = start; p < n; p++) {
                    long below = binomial(n - p - 1, left - 1);
                    if (rank < below) {
                        chosen.add(ic.from().get(p));
                        start = p + 1;
                        break;
                    }
                    rank -= below;
                }
            }
            return List.copyOf(chosen);
        } else if (d instanceof Decision.DepthChoice dc) {
            return dc.depths().get((int) i);
        }
        return ((Decision.ValueChoice) d).values().get((int) i);
    }

    private static long binomial(int n, int k) {
        if (k < 0 || k > n) {
            return 0;
        }
        long r = 1;
        for (int i = 0; i < k; i++) {
            r = r * (n - i) / (i + 1);
        }
        return r;
    }
}
