package org.nas4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.nas4j.search.Objective;
import org.nas4j.search.Pareto;
import org.nas4j.search.RunDirectory;
import org.nas4j.search.SearchRun;
import org.nas4j.search.Trial;
import org.nas4j.space.Architecture;
import org.nas4j.space.Architectures;
import org.nas4j.space.InputException;
import org.nas4j.space.IoReason;
import org.nas4j.space.Json;
import org.nas4j.spec.SpecLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code nas export}: the best (or top K) architectures of a run, finished or not. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write the best architecture of a search run (finished or interrupted) as an architecture file, "
                + "or the top K with their scores, or (--pareto) the Pareto front of a multi-objective search. "
                + "--format nni-v1 writes NNI v1's one-hot masks.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written", "1:not a run, or no finished trial", "2:usage error"})
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, paramLabel = "DIR", description = "A run directory of nas search.")
    private Path run;

    @Option(names = "--top", paramLabel = "K", defaultValue = "1", description = "How many (default: ${DEFAULT-VALUE}).")
    private int top;

    @Option(names = "--format", paramLabel = "F", defaultValue = "native", description = "native or nni-v1 (default: ${DEFAULT-VALUE}).")
    private String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write there instead of standard output; with --pareto a folder: "
            + "one architecture file per trial of the front (front-01.json, ...) and front.json with their objectives.")
    private Path out;

    @Option(names = "--pareto", description = "The Pareto front of the run's search.objectives instead: every trial no other beats on all "
            + "objectives at once, with its objectives, best first objective first.")
    private boolean pareto;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec self;

    @Override
    public Integer call() {
        if (!format.equals("native") && !format.equals("nni-v1")) {
            throw new CommandLine.ParameterException(self.commandLine(), "--format must be native or nni-v1, got '" + format + "'");
        }
        if (top < 1) {
            throw new CommandLine.ParameterException(self.commandLine(), "--top must be at least 1");
        }
        try {
            RunDirectory dir = RunDirectory.read(run);
            SpecLoader.Checked checked = dir.spec();
            List<Trial> all = dir.trials();
            List<Trial> trials = new ArrayList<>(all.stream().filter(Trial::ok).toList());
            if (trials.isEmpty()) {
                Optional<Architecture> chosen = dir.architecture();
                if (chosen.isPresent() && all.isEmpty()) {
                    // A one-shot run before (or without) its path search: its current choice, read back to check it.
                    return write(format.equals("nni-v1") ? Architectures.writeNniV1(chosen.get(), checked.space())
                            : Architectures.write(chosen.get()));
                }
                self.commandLine().getErr().println("nas export: " + run + (all.isEmpty() ? " has no finished trial (or trained epoch) yet"
                        : ": all " + all.size() + " finished trial" + (all.size() == 1 ? "" : "s") + " failed, so there is no best "
                        + "architecture; the first failure: " + all.get(0).error()));
                return 1;
            }
            trials.sort(Comparator.comparingDouble(Trial::score).reversed().thenComparingInt(Trial::id));
            String text;
            if (pareto) {
                List<Objective> objectives = SearchRun.objectives(checked.spec());
                if (objectives.isEmpty()) {
                    self.commandLine().getErr().println("nas export: " + run + " searched one score; --pareto needs search.objectives in its spec");
                    return 1;
                }
                List<Trial> front = Pareto.front(trials, objectives);
                if (out != null) {
                    return writeFront(front, objectives, checked);
                }
                List<Map<String, Object>> list = new ArrayList<>();
                for (Trial t : front) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("trial", t.id());
                    Map<String, Object> values = new LinkedHashMap<>();
                    m.put("objectives", objectiveValues(t, objectives));
                    m.put("architecture", Json.LINE.fromJson(format.equals("nni-v1")
                            ? Architectures.writeNniV1(t.architecture(), checked.space()) : Architectures.write(t.architecture()), Map.class));
                    list.add(m);
                }
                text = Json.PRETTY.toJson(list) + "\n";
            } else if (top == 1) {
                Architecture best = trials.get(0).architecture();
                text = format.equals("nni-v1") ? Architectures.writeNniV1(best, checked.space()) : Architectures.write(best);
            } else {
                List<Map<String, Object>> list = new ArrayList<>();
                for (Trial t : trials.subList(0, Math.min(top, trials.size()))) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("trial", t.id());
                    m.put("score", t.score());
                    m.put("architecture", Json.LINE.fromJson(format.equals("nni-v1")
                            ? Architectures.writeNniV1(t.architecture(), checked.space()) : Architectures.write(t.architecture()), Map.class));
                    list.add(m);
                }
                text = Json.PRETTY.toJson(list) + "\n";
            }
            return write(text);
        } catch (InputException | IOException e) {
            self.commandLine().getErr().println("nas export: " + IoReason.describe(e));
            return 1;
        }
    }

    /** A trial's objectives by name; a journal gives whole numbers back as doubles, so counts are written as counts. */
    private static Map<String, Object> objectiveValues(Trial t, List<Objective> objectives) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Objective o : objectives) {
            Object v = t.metrics().get(o.metric());
            values.put(o.metric(), v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 1e15
                    ? (Object) n.longValue() : v);
        }
        return values;
    }

    /**
     * With --pareto --out DIR: one architecture file per trial of the front (front-01.json, ...,
     * each usable by nas retrain --arch) and front.json listing them with their objectives.
     */
    private int writeFront(List<Trial> front, List<Objective> objectives, SpecLoader.Checked checked) throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IOException(out + " is a file; with --pareto, --out names the folder the front's files go into");
        }
        try {
            Files.createDirectories(out);
            List<Map<String, Object>> index = new ArrayList<>();
            int k = 0;
            for (Trial t : front) {
                String name = String.format(java.util.Locale.ROOT, "front-%02d.json", ++k);
                Files.writeString(out.resolve(name), format.equals("nni-v1") ? Architectures.writeNniV1(t.architecture(), checked.space())
                        : Architectures.write(t.architecture()));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("file", name);
                m.put("trial", t.id());
                m.put("objectives", objectiveValues(t, objectives));
                index.add(m);
            }
            Files.writeString(out.resolve("front.json"), Json.PRETTY.toJson(index) + "\n");
        } catch (IOException e) {
            throw new IOException("cannot write into " + out + ": " + IoReason.of(e), e);
        }
        self.commandLine().getOut().printf("wrote %d architectures of the front and front.json into %s%n", front.size(), out);
        return 0;
    }

    private int write(String text) throws IOException {
        if (out != null) {
            try {
                Files.writeString(out, text);
            } catch (IOException e) {
                throw new IOException("cannot write " + out + ": " + IoReason.of(e), e);
            }
        } else {
            self.commandLine().getOut().print(text);
        }
        return 0;
    }
}
