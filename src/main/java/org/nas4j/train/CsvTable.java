package org.nas4j.train;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.nas4j.space.InputException;
import org.nas4j.space.IoReason;

/**
 * A CSV table for classification: a header row naming the columns, then one sample per row: its
 * features (numbers) and its label (any text; the classes are its distinct values, in numeric
 * order when all are numbers, else in text order). Read with Apache Commons CSV (quoting,
 * CRLF), which DJL's basicdataset already brings; DJL's own CsvDataset does not say which line
 * a bad value is on.
 *
 * @param file     where it was read from
 * @param features the feature columns, in the order a sample holds them
 * @param classes  the label values, class 0 first
 * @param x        the samples' features, one row after another
 * @param y        each sample's class
 * @param skipped  rows left out as bad (with "on-bad-row: skip")
 * @param firstBad the first bad row's FILE:LINE and problem, or null
 */
public record CsvTable(Path file, List<String> features, List<String> classes, float[] x, int[] y, int skipped, String firstBad) {
    /** The most values (rows x features) a table may hold in memory. */
    public static final long MAX_VALUES = 256L << 20;

    /** The number of samples. */
    public int rows() {
        return y.length;
    }

    /**
     * Reads {@code file}: {@code label} names the label column; {@code features} the feature
     * columns (empty: every other column whose first row holds a number). A row with another
     * number of values than the header, an empty label or a feature that is not a number is an
     * error naming FILE:LINE, or with {@code skipBad} left out and counted.
     *
     * @throws InputException naming the file, and the line where one is at fault
     */
    public static CsvTable read(Path file, String label, List<String> features, boolean skipBad) throws InputException {
        if (!Files.isRegularFile(file)) {
            throw new InputException("dataset csv not found: " + file + (Files.exists(file) ? " is not a file" : " does not exist"));
        }
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).setTrim(true).get();
        try (Reader reader = new java.io.InputStreamReader(Files.newInputStream(file), decoder); CSVParser parser = format.parse(reader)) {
            Builder b = new Builder(file, label, features, skipBad);
            for (CSVRecord record : parser) {
                b.add(record, parser.getCurrentLineNumber());
            }
            return b.build();
        } catch (CharacterCodingException e) {
            throw new InputException(file + ": not UTF-8 text");
        } catch (java.io.UncheckedIOException e) {
            throw new InputException(file + ": " + (e.getCause() instanceof CharacterCodingException ? "not UTF-8 text"
                    : "cannot be read as CSV: " + IoReason.of(e.getCause())));
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + IoReason.of(e));
        }
    }

    /** Collects the rows of one file. */
    private static final class Builder {
        private final Path file;
        private final String label;
        private final List<String> wanted;
        private final boolean skipBad;
        private List<String> header;
        private int labelColumn;
        private int[] featureColumns;
        private final List<float[]> rows = new ArrayList<>();
        private final List<String> labels = new ArrayList<>();
        private int skipped;
        private String firstBad;

        Builder(Path file, String label, List<String> wanted, boolean skipBad) {
            this.file = file;
            this.label = label;
            this.wanted = wanted;
            this.skipBad = skipBad;
        }

        void add(CSVRecord record, long line) throws InputException {
            List<String> values = record.toList();
            if (header == null) {
                readHeader(values, line);
                return;
            }
            if (featureColumns == null) {
                chooseFeatures(values);
            }
            String problem = problem(values);
            if (problem != null) {
                String where = file + ":" + line + ": " + problem;
                if (!skipBad) {
                    throw new InputException(where + " (data.on-bad-row: skip leaves such rows out)");
                }
                skipped++;
                firstBad = firstBad == null ? where : firstBad;
                return;
            }
            float[] row = new float[featureColumns.length];
            for (int k = 0; k < row.length; k++) {
                row[k] = Float.parseFloat(values.get(featureColumns[k]));
            }
            if ((long) (rows.size() + 1) * row.length > MAX_VALUES) {
                throw new InputException(file + ": more than " + MAX_VALUES + " values; nas4j reads a CSV table into memory");
            }
            rows.add(row);
            labels.add(values.get(labelColumn));
        }

        private void readHeader(List<String> values, long line) throws InputException {
            header = values;
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < values.size(); i++) {
                Integer before = seen.put(values.get(i), i);
                if (before != null) {
                    throw new InputException(file + ":" + line + ": the header names column '" + values.get(i) + "' twice");
                }
            }
            labelColumn = column(label, "data.label", line);
            if (!wanted.isEmpty()) {
                featureColumns = new int[wanted.size()];
                for (int k = 0; k < wanted.size(); k++) {
                    featureColumns[k] = column(wanted.get(k), "data.features", line);
                }
            }
        }

        private int column(String name, String field, long line) throws InputException {
            int i = header.indexOf(name);
            if (i < 0) {
                throw new InputException(file + ":" + line + ": no column '" + name + "' (" + field + "); the header has "
                        + String.join(", ", header));
            }
            return i;
        }

        /** Every other column whose value in the first row is a number. */
        private void chooseFeatures(List<String> first) throws InputException {
            List<Integer> chosen = new ArrayList<>();
            for (int i = 0; i < header.size() && i < first.size(); i++) {
                if (i != labelColumn && number(first.get(i))) {
                    chosen.add(i);
                }
            }
            if (chosen.isEmpty()) {
                throw new InputException(file + ": no column besides the label '" + label + "' holds numbers in the first row;"
                        + " name the feature columns in data.features");
            }
            featureColumns = chosen.stream().mapToInt(Integer::intValue).toArray();
        }

        private String problem(List<String> values) {
            if (values.size() != header.size()) {
                return values.size() + " values, but the header names " + header.size() + " columns";
            }
            if (values.get(labelColumn).isEmpty()) {
                return "no label in column '" + label + "'";
            }
            for (int c : featureColumns) {
                if (!number(values.get(c))) {
                    return "column '" + header.get(c) + "' holds '" + shorten(values.get(c)) + "', not a number";
                }
            }
            return null;
        }

        CsvTable build() throws InputException {
            if (header == null) {
                throw new InputException(file + ": empty; a CSV table needs a header row, then one row per sample");
            }
            if (rows.isEmpty()) {
                throw new InputException(file + ": no " + (skipped > 0 ? "readable " : "") + "rows after the header"
                        + (firstBad != null ? " (" + skipped + " bad; the first: " + firstBad + ")" : ""));
            }
            List<String> classes = classes(labels);
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < classes.size(); i++) {
                index.put(classes.get(i), i);
            }
            int n = featureColumns.length;
            float[] x = new float[rows.size() * n];
            int[] y = new int[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                System.arraycopy(rows.get(r), 0, x, r * n, n);
                y[r] = index.get(labels.get(r));
            }
            List<String> names = new ArrayList<>();
            for (int c : featureColumns) {
                names.add(header.get(c));
            }
            return new CsvTable(file, List.copyOf(names), classes, x, y, skipped, firstBad);
        }
    }

    /** The distinct labels: by value when all are numbers, else as text. */
    private static List<String> classes(List<String> labels) {
        boolean numeric = labels.stream().allMatch(CsvTable::number);
        Comparator<String> order = numeric ? Comparator.comparingDouble(Double::parseDouble) : Comparator.naturalOrder();
        TreeSet<String> distinct = new TreeSet<>(order.thenComparing(Comparator.naturalOrder()));
        distinct.addAll(labels);
        return List.copyOf(distinct);
    }

    /** A decimal number as people write them (Java's parser would also take "NaN", "0x1p3" or "2d"). */
    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private static boolean number(String s) {
        return NUMBER.matcher(s).matches() && Float.isFinite(Float.parseFloat(s));
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
