package org.nas4j.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.nas4j.space.Architecture;
import org.nas4j.spec.Node;
import org.nas4j.spec.Ref;
import org.nas4j.spec.Spec;

/**
 * Draws a spec's model as SVG without Graphviz: nodes in layers by their longest path from the
 * input, edges from each node to what reads it. Given an architecture, each layer choice shows
 * its chosen candidate (the others greyed, listed in the tooltip), input choices draw chosen
 * edges solid and the others dashed grey, and nodes the child does not run are greyed; without
 * one, the whole supernet is drawn.
 */
public final class GraphSvg {
    private static final int W = 180;
    private static final int H = 42;
    private static final int GAP_X = 24;
    private static final int GAP_Y = 34;

    private GraphSvg() {
    }

    /** The SVG of the model; {@code architecture} and {@code live} may be null (the supernet). */
    public static String render(Spec spec, Architecture architecture, Set<String> live) {
        List<Node> nodes = spec.model();
        Map<String, Integer> layer = new HashMap<>();
        layer.put(Ref.MODEL_INPUT, 0);
        Map<Integer, List<String>> rows = new LinkedHashMap<>();
        rows.computeIfAbsent(0, k -> new ArrayList<>()).add(Ref.MODEL_INPUT);
        for (Node n : nodes) {
            int l = 1;
            for (Ref r : n.inputs()) {
                l = Math.max(l, layer.getOrDefault(r.id(), 0) + 1);
            }
            layer.put(n.id(), l);
            rows.computeIfAbsent(l, k -> new ArrayList<>()).add(n.id());
        }
        int widest = rows.values().stream().mapToInt(List::size).max().orElse(1);
        int width = widest * (W + GAP_X) + GAP_X;
        int height = rows.size() * (H + GAP_Y) + GAP_Y;
        Map<String, int[]> at = new HashMap<>();
        for (Map.Entry<Integer, List<String>> row : rows.entrySet()) {
            List<String> ids = row.getValue();
            int offset = (width - ids.size() * (W + GAP_X) + GAP_X) / 2;
            for (int i = 0; i < ids.size(); i++) {
                at.put(ids.get(i), new int[] {offset + i * (W + GAP_X), GAP_Y + row.getKey() * (H + GAP_Y)});
            }
        }
        StringBuilder edges = new StringBuilder();
        StringBuilder boxes = new StringBuilder();
        boxes.append(box(at.get(Ref.MODEL_INPUT), "input " + spec.input(), null, null, "node io", "the model's input"));
        for (Node n : nodes) {
            boolean runs = live == null || live.contains(n.id());
            List<?> chosenInputs = n instanceof Node.InputChoiceNode ic && architecture != null
                    ? (List<?>) architecture.get(ic.key()) : null;
            for (int k = 0; k < n.inputs().size(); k++) {
                boolean taken = chosenInputs == null || chosenInputs.contains(((Node.InputChoiceNode) n).from().get(k));
                int[] a = at.get(n.inputs().get(k).id());
                int[] b = at.get(n.id());
                if (a == null || b == null) {
                    continue;
                }
                edges.append(String.format(Locale.ROOT, "<path class=\"edge%s\" d=\"M%d %d C%d %d %d %d %d %d\"/>%n",
                        taken && runs ? "" : " off", a[0] + W / 2, a[1] + H, a[0] + W / 2, a[1] + H + GAP_Y / 2 + 10,
                        b[0] + W / 2, b[1] - GAP_Y / 2 - 10, b[0] + W / 2, b[1]));
            }
            boxes.append(nodeBox(n, at.get(n.id()), architecture, runs));
        }
        return String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"graph\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n<style>%s</style>%n%s%s</svg>%n",
                width, height, width, height, STYLE, edges, boxes);
    }

    private static final String STYLE = ".edge{fill:none;stroke:#555;stroke-width:1.3}.edge.off{stroke:#bbb;stroke-dasharray:4 3}"
            + ".node rect{fill:#fff;stroke:#444;rx:6}.node.choice rect{fill:#eef4ff;stroke:#2457b3}.node.io rect{fill:#f4f4f4}"
            + ".node.off rect{fill:#f6f6f6;stroke:#ccc}.node.off text{fill:#aaa}.node .other{fill:#999}.node .id{font-weight:bold}";

    private static String nodeBox(Node n, int[] xy, Architecture arch, boolean runs) {
        String id = n.anonymous() ? "" : n.id();
        String off = runs ? "" : " off";
        if (n instanceof Node.OpNode op) {
            return box(xy, id, op.op().def().specName(), null, "node op" + off, n.id() + ": " + op.op().def().specName());
        }
        if (n instanceof Node.LayerChoiceNode lc) {
            List<String> names = List.copyOf(lc.candidates().keySet());
            Object chosen = arch == null ? null : arch.get(lc.key());
            String main = chosen != null ? "\u2192 " + chosen : String.join(" | ", names);
            String others = chosen != null && names.size() > 1 ? "+" + (names.size() - 1) + " not chosen" : null;
            return box(xy, id, main, others, "node choice" + off, lc.key() + ": " + String.join(", ", names)
                    + (chosen != null ? " (chosen: " + chosen + ")" : ""));
        }
        if (n instanceof Node.InputChoiceNode ic) {
            Object chosen = arch == null ? null : arch.get(ic.key());
            String main = chosen != null ? "\u2192 " + chosen : "choose " + (ic.nChosen() == null ? "any of " : ic.nChosen() + " of ") + ic.from();
            return box(xy, id, main, null, "node choice" + off, ic.key() + ": inputs " + ic.from());
        }
        if (n instanceof Node.DepthSelectNode ds) {
            Object chosen = arch == null ? null : arch.get(ds.key());
            return box(xy, id, chosen != null ? "depth " + chosen : "depth " + ds.depths(), null, "node choice" + off, ds.key());
        }
        return box(xy, id, "?", null, "node" + off, n.id());
    }

    private static String box(int[] xy, String title, String line, String other, String cls, String tooltip) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<g class=\"%s\"><title>%s</title><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>",
                cls, Svg.esc(tooltip), xy[0], xy[1], W, H));
        int y = xy[1] + (line == null || title.isEmpty() ? H / 2 + 4 : 16);
        if (!title.isEmpty()) {
            s.append(text(xy[0] + 8, y, "id", title));
            y += 15;
        }
        if (line != null) {
            s.append(text(xy[0] + 8, y, "", line + (other != null ? "  " : "")));
            if (other != null) {
                s.append(text(xy[0] + W - 8, y, "other", other).replace("<text ", "<text text-anchor=\"end\" "));
            }
        }
        return s.append("</g>\n").toString();
    }

    private static String text(int x, int y, String cls, String text) {
        String t = text.length() > 28 ? text.substring(0, 27) + "\u2026" : text;
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"%s\">%s</text>", x, y, cls, Svg.esc(t));
    }
}
