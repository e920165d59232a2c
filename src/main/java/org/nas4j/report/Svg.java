package org.nas4j.report;

/** Escaping for text placed in SVG and HTML. */
final class Svg {
    private Svg() {
    }

    /**
     * {@code v} with {@code decimals} digits after the point (as {@code %.Nf} would write it, up to
     * the last digit's rounding): a report of thousands of trials writes tens of thousands of
     * numbers, and {@link String#format} would take most of its time.
     */
    static String fixed(double v, int decimals) {
        if (!Double.isFinite(v) || Math.abs(v) >= 1e15) {
            return String.format(java.util.Locale.ROOT, "%." + decimals + "f", v);
        }
        long scale = POWERS[decimals];
        long units = Math.round(Math.abs(v) * scale);
        StringBuilder b = new StringBuilder(24);
        if (v < 0 && units != 0) {
            b.append('-');
        }
        b.append(units / scale);
        if (decimals > 0) {
            String frac = Long.toString(units % scale);
            b.append('.').append("0".repeat(decimals - frac.length())).append(frac);
        }
        return b.toString();
    }

    /** A whole number with commas between thousands ({@code %,d}). */
    static String grouped(long v) {
        String digits = Long.toString(Math.abs(v));
        StringBuilder b = new StringBuilder(v < 0 ? "-" : "");
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && (digits.length() - i) % 3 == 0) {
                b.append(',');
            }
            b.append(digits.charAt(i));
        }
        return b.toString();
    }

    private static final long[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

    /** Text with the characters that mean something in XML escaped. */
    static String esc(Object text) {
        return String.valueOf(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
