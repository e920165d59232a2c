package org.nas4j.search;

import java.util.Locale;

/**
 * One option of a strategy: its name, type, default, range and help. Values are parsed once,
 * when a search starts ({@link StrategyOptions}), so a bad one stops it before anything runs.
 *
 * @param name    the option's name, as {@code --option NAME=V} gives it
 * @param type    what it holds
 * @param dflt    its default, as text
 * @param min     the smallest value of a whole number (inclusive)
 * @param max     the largest value of a whole number (inclusive)
 * @param help    one line for {@code nas strategies} and the docs
 */
public record StrategyOption(String name, Type type, String dflt, long min, long max, String help) {

    /** What an option holds. */
    public enum Type {
        /** A whole number from min to max. */
        WHOLE,
        /** A finite number of at least 0 (rates, weights). */
        NUMBER,
        /** A number strictly between 0 and 1. */
        FRACTION,
        /** true or false. */
        FLAG
    }

    /** A whole number of at least 1. */
    public static StrategyOption whole(String name, int dflt, String help) {
        return new StrategyOption(name, Type.WHOLE, String.valueOf(dflt), 1, Integer.MAX_VALUE, help);
    }

    /** A whole number from min to max. */
    public static StrategyOption whole(String name, int dflt, int min, int max, String help) {
        return new StrategyOption(name, Type.WHOLE, String.valueOf(dflt), min, max, help);
    }

    /** A number of at least 0. */
    public static StrategyOption number(String name, double dflt, String help) {
        return new StrategyOption(name, Type.NUMBER, text(dflt), 0, 0, help);
    }

    /** A number in (0, 1). */
    public static StrategyOption fraction(String name, double dflt, String help) {
        return new StrategyOption(name, Type.FRACTION, text(dflt), 0, 0, help);
    }

    /** true or false. */
    public static StrategyOption flag(String name, boolean dflt, String help) {
        return new StrategyOption(name, Type.FLAG, String.valueOf(dflt), 0, 0, help);
    }

    private static String text(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.1f", v) : String.valueOf(v);
    }

    /** The value of {@code text} for this option: Integer, Double or Boolean; an IllegalArgumentException for users. */
    Object parse(String text) {
        String v = text == null ? "" : text.trim();
        switch (type) {
            case FLAG -> {
                if (v.equals("true") || v.equals("false")) {
                    return Boolean.valueOf(v);
                }
                throw bad("true or false", text);
            }
            case WHOLE -> {
                try {
                    long n = Long.parseLong(v);
                    if (n >= min && n <= max) {
                        return (int) n;
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw bad(max == Integer.MAX_VALUE ? "a whole number of at least " + min : "a whole number from " + min + " to " + max, text);
            }
            case FRACTION -> {
                double x = number(v);
                if (x > 0 && x < 1) {
                    return x;
                }
                throw bad("a number in (0, 1)", text);
            }
            default -> {
                double x = number(v);
                if (x >= 0 && Double.isFinite(x)) {
                    return x;
                }
                throw bad("a number of at least 0", text);
            }
        }
    }

    private static double number(String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private IllegalArgumentException bad(String what, String text) {
        return new IllegalArgumentException("option " + name + " must be " + what + ", got '" + text + "'");
    }
}
