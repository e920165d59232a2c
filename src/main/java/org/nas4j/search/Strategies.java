package org.nas4j.search;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.nas4j.space.Architecture;
import org.nas4j.space.Sampler;
import org.nas4j.space.SearchSpace;

/**
 * Every strategy this build runs, by name: multi-trial ones (made here) and one-shot ones (their
 * descriptions; the oneshot package builds their algorithms). A new strategy is its class with
 * its {@link StrategyInfo}, and one line in {@link #ALL}.
 */
public final class Strategies {
    /** DARTS (first or second order). */
    public static final StrategyInfo DARTS = new StrategyInfo("darts", true,
            "every candidate runs, weighted by a softmax over architecture weights learnt on validation batches",
            List.of(StrategyOption.number("lr", 0.025, "the weights' SGD learning rate, cosine-annealed to min-lr"),
                    StrategyOption.number("min-lr", 0.001, "the learning rate the cosine schedule ends at"),
                    StrategyOption.number("momentum", 0.9, "SGD momentum of the weights"),
                    StrategyOption.number("weight-decay", 3e-4, "weight decay of the weights"),
                    StrategyOption.number("grad-clip", 5, "the weights' gradient norm clip"),
                    StrategyOption.number("arch-lr", 3e-4, "Adam's learning rate for the architecture weights (betas 0.5, 0.999)"),
                    StrategyOption.number("arch-weight-decay", 1e-3, "weight decay of the architecture weights"),
                    StrategyOption.whole("order", 1, 1, 2, "1: first order; 2: the unrolled second-order architecture step")), 0);

    /** ENAS. */
    public static final StrategyInfo ENAS = new StrategyInfo("enas", true,
            "an LSTM controller samples a path per batch and learns by REINFORCE; then its samples are scored",
            List.of(StrategyOption.whole("lstm-size", 64, "the controller's LSTM width"),
                    StrategyOption.number("tanh-constant", 1.5, "logits are tanh-constant x tanh(.)"),
                    StrategyOption.number("skip-target", 0.4, "the share of inputs an any-subset choice should take"),
                    StrategyOption.number("skip-weight", 0.8, "weight of the KL penalty towards skip-target"),
                    StrategyOption.number("entropy-weight", 1e-4, "weight of the entropy bonus in the reward"),
                    StrategyOption.number("baseline-decay", 0.999, "decay of the reward's exponential-average baseline"),
                    StrategyOption.number("controller-lr", 3.5e-4, "the controller's Adam learning rate"),
                    StrategyOption.whole("controller-steps", 50, "controller steps after each epoch (at most its batches)"),
                    StrategyOption.whole("aggregate", 20, "controller gradients summed before each update"),
                    StrategyOption.whole("bn-batches", 10, "training batches that re-estimate batch-norm statistics per scored path")),
            40);

    /** ProxylessNAS. */
    public static final StrategyInfo PROXYLESS = new StrategyInfo("proxyless", true,
            "one path per batch drawn from architecture weights that learn through binary gates",
            List.of(StrategyOption.number("arch-lr", 1e-3, "Adam's learning rate for the architecture weights (betas 0, 0.999)"),
                    StrategyOption.number("arch-weight-decay", 0, "weight decay of the architecture weights"),
                    StrategyOption.number("warmup", 0.25, "the share of steps that train uniform paths before the weights learn"),
                    StrategyOption.number("cost-weight", 0, "weight of the expected parameter count (millions) in the loss")), 0);

    /** SPOS. */
    public static final StrategyInfo SPOS = new StrategyInfo("spos", true,
            "one uniformly drawn path per batch; then SPOS's evolution over paths scored with the shared weights",
            List.of(StrategyOption.whole("population", 10, "paths drawn at random before breeding"),
                    StrategyOption.whole("top-k", 5, "the best paths that parent the next"),
                    StrategyOption.fraction("mutation-prob", 0.1, "the chance each decision is redrawn in a mutation"),
                    StrategyOption.flag("dedup", true, "never score the same path twice"),
                    StrategyOption.whole("bn-batches", 10, "training batches that re-estimate batch-norm statistics per scored path")),
            40);

    /** Random one-shot. */
    public static final StrategyInfo RANDOM_ONESHOT = new StrategyInfo("random-oneshot", true,
            "one uniformly drawn path per batch; then paths drawn at random and scored with the shared weights",
            List.of(StrategyOption.whole("bn-batches", 10, "training batches that re-estimate batch-norm statistics per scored path")), 40);

    /** Every strategy, multi-trial first, in the order they are listed. */
    public static final List<StrategyInfo> ALL = List.of(RandomStrategy.INFO, GridStrategy.INFO, EvolutionStrategy.INFO, TpeStrategy.INFO,
            Nsga2Strategy.INFO, HyperbandStrategy.INFO, AshaStrategy.INFO, HyperbandStrategy.BOHB, DARTS, ENAS, PROXYLESS, SPOS, RANDOM_ONESHOT);

    private Strategies() {
    }

    /** The strategy of that name; an IllegalArgumentException (for users) listing them all when there is none. */
    public static StrategyInfo info(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "strategy '" + name + "' is not available in this build; multi-trial strategies: " + names(false)
                        + "; one-shot: " + names(true)));
    }

    private static String names(boolean oneShot) {
        return String.join(", ", ALL.stream().filter(s -> s.oneShot() == oneShot).map(StrategyInfo::name).toList());
    }

    /** Whether {@code name} is a one-shot strategy. */
    public static boolean oneShot(String name) {
        return ALL.stream().anyMatch(s -> s.oneShot() && s.name().equals(name));
    }

    /** {@link #create(StrategyInfo, StrategyOptions, SearchSpace, long, Predicate)} by name, with options as text. */
    public static Strategy create(String name, SearchSpace space, long seed, Map<String, String> options,
                                  Predicate<Architecture> admissible) {
        StrategyInfo info = info(name);
        return create(info, info.parse(options), space, seed, admissible, List.of());
    }

    /**
     * The strategy that proposes architectures: a multi-trial strategy, or the search over paths
     * that follows one-shot supernet training (spos: its evolution; random-oneshot: random);
     * {@code objectives} are what a multi-objective strategy (nsga2) ranks trials by.
     */
    public static Strategy create(StrategyInfo info, StrategyOptions o, SearchSpace space, long seed, Predicate<Architecture> admissible,
                                  List<Objective> objectives) {
        Sampler sampler = new Sampler(space);
        return switch (info.name()) {
            case "nsga2" -> new Nsga2Strategy(sampler, seed, admissible, objectives, o.whole("population"), o.number("crossover"));
            case "grid" -> new GridStrategy(space, admissible);
            case "evolution" -> new EvolutionStrategy(sampler, seed, admissible, o.whole("population"), o.whole("sample"));
            case "tpe" -> new TpeStrategy(space, seed, admissible, o.whole("startup"), o.whole("candidates"), o.number("gamma"));
            case "spos" -> new SposEvolutionStrategy(space, seed, admissible, o.whole("population"), o.whole("top-k"),
                    o.number("mutation-prob"), o.flag("dedup"));
            case "random" -> new RandomStrategy(sampler, seed, admissible, o.flag("dedup"));
            case "hyperband" -> new HyperbandStrategy(Rungs.of(o), NewConfigs.uniform(space, seed, admissible));
            case "bohb" -> new HyperbandStrategy(Rungs.of(o), NewConfigs.bohb(space, seed, admissible, o));
            case "asha" -> new AshaStrategy(Rungs.of(o), NewConfigs.uniform(space, seed, admissible));
            case "random-oneshot" -> new RandomStrategy(sampler, seed, admissible, true);
            default -> throw new IllegalArgumentException(info.name() + " proposes no architectures one at a time");
        };
    }
}
