package org.nas4j.spec;

import java.util.List;

/**
 * Reads a spec's data section: the dataset and its path, batching and splits, a CSV table's
 * columns, an image folder's size, normalisation and augmentation; errors go to the diagnostics
 * and reading goes on, as everywhere in {@link SpecParser}.
 */
final class DataReader {
    private final Diagnostics diag;

    DataReader(Diagnostics diag) {
        this.diag = diag;
    }

    /** The data section, or null (with an error) when it is missing or not a mapping. */
    Spec.DataSpec data(YNode node, Pos topPos) {
        if (node == null) {
            diag.error(topPos, "missing 'data', e.g. data: {dataset: mnist, batch-size: 64}");
            return null;
        }
        YNode.Mapping m = MapReader.expectMapping(node, diag, "data");
        if (m == null) {
            return null;
        }
        Extensions.Kind plugin = pluginKind(m);
        List<String> fields = new java.util.ArrayList<>(List.of("dataset", "path", "batch-size", "limit", "validation", "label",
                "features", "on-bad-row", "resize", "normalize", "augment"));
        if (plugin != null) {
            fields.addAll(plugin.fields());
        }
        MapReader r = new MapReader(m, diag, "data", fields);
        List<String> known = new java.util.ArrayList<>(Spec.DataSpec.DATASETS);
        known.addAll(Extensions.datasets().keySet());
        if (!r.has("dataset")) {
            diag.error(m.pos(), "data needs a dataset", "one of " + String.join(", ", known));
        }
        String dataset = r.oneOf("dataset", known, null);
        String path = r.string("path", null);
        if (dataset != null && Spec.DataSpec.WITH_PATH.contains(dataset) && path == null) {
            diag.error(m.pos(), "dataset " + dataset + " needs a path: " + switch (dataset) {
                case "idx" -> "the directory of its IDX files";
                case "cifar10" -> "the directory of CIFAR-10's binary files (cifar-10-batches-bin)";
                case "image-folder" -> "the directory with one folder of images per class (or train/ and test/ laid out so)";
                default -> "the CSV file";
            });
        }
        boolean csv = "csv".equals(dataset);
        for (String field : List.of("label", "features", "on-bad-row")) {
            if (r.has(field) && dataset != null && !csv) {
                diag.error(r.node(field).pos(), "data." + field + " is for dataset csv, not " + dataset);
            }
        }
        String label = r.string("label", null);
        if (csv && label == null) {
            diag.error(m.pos(), "dataset csv needs a label: the column that holds each row's class");
        }
        List<String> features = r.has("features") ? names(r.node("features"), "data.features") : List.of();
        if (r.has("resize") && dataset != null && !dataset.equals("image-folder")) {
            diag.error(r.node("resize").pos(), "data.resize is for dataset image-folder, not " + dataset);
        }
        List<Integer> resize = r.has("resize") ? resize(r.node("resize")) : List.of();
        if (label != null && features.contains(label)) {
            diag.error(r.node("features").pos(), "data.features lists the label column '" + label + "'");
        }
        return new Spec.DataSpec(dataset, path, r.integer("batch-size", 1, 64), r.integer("limit", 1, null),
                r.number("validation", 0, false, 0.99, null), label, features, r.oneOf("on-bad-row", Spec.DataSpec.ON_BAD_ROW, "error"),
                resize, r.has("normalize") ? normalize(r.node("normalize")) : null, r.has("augment") ? augment(r.node("augment")) : null,
                plugin == null ? java.util.Map.of() : options(r, plugin));
    }

    /** The plug-in that provides the section's dataset kind, or null for nas4j's own (and for no or an unknown name). */
    static Extensions.Kind pluginKind(YNode.Mapping m) {
        YNode.Entry e = m.entries().get("dataset");
        return e != null && e.value() instanceof YNode.Scalar s ? Extensions.datasets().get(s.text()) : null;
    }

    /** The plug-in's own fields that the section gives, as text. */
    static java.util.Map<String, String> options(MapReader r, Extensions.Kind plugin) {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        for (String field : plugin.fields()) {
            String v = r.string(field, null);
            if (v != null) {
                out.put(field, v);
            }
        }
        return out;
    }

    /** {@code auto}, or {mean: [..], std: [..]} of one value per channel, each std above 0. */
    private Spec.NormalizeSpec normalize(YNode node) {
        if (node instanceof YNode.Scalar s && s.text().equals("auto")) {
            return new Spec.NormalizeSpec(true, List.of(), List.of());
        }
        YNode.Mapping m = node instanceof YNode.Mapping mm ? mm : null;
        if (m == null) {
            diag.error(node.pos(), "data.normalize must be auto or {mean: [...], std: [...]} (one value per channel), got " + SpecParser.describe(node));
            return null;
        }
        MapReader r = new MapReader(m, diag, "data.normalize", List.of("mean", "std"));
        List<Double> mean = numbers(r.node("mean"), "data.normalize.mean", m, false);
        List<Double> std = numbers(r.node("std"), "data.normalize.std", m, true);
        if (mean == null || std == null) {
            return null;
        }
        if (mean.size() != std.size()) {
            diag.error(m.pos(), "data.normalize has " + mean.size() + " means but " + std.size() + " standard deviations; one each per channel");
            return null;
        }
        return new Spec.NormalizeSpec(false, mean, std);
    }

    private List<Double> numbers(YNode node, String what, YNode.Mapping parent, boolean positive) {
        if (node == null) {
            diag.error(parent.pos(), what + " is missing");
            return null;
        }
        if (!(node instanceof YNode.Sequence seq) || seq.items().isEmpty()) {
            diag.error(node.pos(), what + " must be a non-empty list of numbers, got " + SpecParser.describe(node));
            return null;
        }
        List<Double> out = new java.util.ArrayList<>();
        for (YNode item : seq.items()) {
            Double v = item instanceof YNode.Scalar s && (s.type() == YNode.ScalarType.INT || s.type() == YNode.ScalarType.FLOAT)
                    ? parseNumber(s.text()) : null;
            if (v == null || !Double.isFinite(v) || (positive && v <= 0)) {
                diag.error(item.pos(), what + " must hold " + (positive ? "numbers above 0" : "numbers") + ", got " + item.kindName());
                return null;
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    private static Double parseNumber(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {random-crop: {padding: P}, flip: horizontal, cutout: SIZE}, each optional. */
    private Spec.AugmentSpec augment(YNode node) {
        YNode.Mapping m = MapReader.expectMapping(node, diag, "data.augment");
        if (m == null) {
            return null;
        }
        MapReader r = new MapReader(m, diag, "data.augment", List.of("random-crop", "flip", "cutout"));
        int padding = 0;
        YNode.Mapping crop = r.mapping("random-crop");
        if (crop != null) {
            Integer p = new MapReader(crop, diag, "data.augment.random-crop", List.of("padding")).integer("padding", 1, null);
            if (p == null) {
                diag.error(crop.pos(), "data.augment.random-crop needs a padding, e.g. {padding: 4}");
            } else {
                padding = p;
            }
        }
        String flip = r.oneOf("flip", List.of("horizontal"), null);
        Integer cutout = r.integer("cutout", 1, 0);
        if (padding == 0 && flip == null && (cutout == null || cutout == 0)) {
            diag.error(m.pos(), "data.augment names no augmentation", "random-crop: {padding: 4}, flip: horizontal, cutout: 16");
        }
        return new Spec.AugmentSpec(padding, flip != null, cutout == null ? 0 : cutout);
    }

    /** [height, width], each from 1 to 4,096. */
    private List<Integer> resize(YNode node) {
        if (node instanceof YNode.Sequence seq && seq.items().size() == 2) {
            List<Integer> out = new java.util.ArrayList<>();
            for (YNode item : seq.items()) {
                Long v = MapReader.integerValue(item, "data.resize", diag);
                if (v == null) {
                    return List.of();
                }
                if (v < 1 || v > 4096) {
                    diag.error(item.pos(), "data.resize sizes must be from 1 to 4096, got " + v);
                    return List.of();
                }
                out.add(v.intValue());
            }
            return List.copyOf(out);
        }
        diag.error(node.pos(), "data.resize must be [height, width], got " + SpecParser.describe(node));
        return List.of();
    }

    /** A non-empty list of distinct, non-empty texts (column names). */
    private List<String> names(YNode node, String what) {
        if (!(node instanceof YNode.Sequence seq) || seq.items().isEmpty()) {
            diag.error(node.pos(), what + " must be a non-empty list of column names, got " + SpecParser.describe(node));
            return List.of();
        }
        List<String> out = new java.util.ArrayList<>();
        for (YNode item : seq.items()) {
            if (!(item instanceof YNode.Scalar s) || s.type() == YNode.ScalarType.NULL || s.text().isEmpty()) {
                diag.error(item.pos(), what + " must hold column names, got " + item.kindName());
            } else if (out.contains(s.text())) {
                diag.error(item.pos(), what + " lists '" + s.text() + "' twice");
            } else {
                out.add(s.text());
            }
        }
        return List.copyOf(out);
    }
}
