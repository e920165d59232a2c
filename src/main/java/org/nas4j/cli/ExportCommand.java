package org.nas4j.cli;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nas4j.search.SearchRun;
import org.nas4j.space.ArchitectureException;
import org.nas4j.space.Architectures;
import org.nas4j.spec.SpecLoader;
import org.nas4j.train.DataException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nas export}: the best (or top K) architectures of a run, finished or not. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write the best architecture of a search run (finished or interrupted) as an architecture file, "
                + "or the top K with their scores. --format nni-v1 writes NNI v1's one-hot masks.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:written", "1:not a run, or no finished trial", "2:usage error"})
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, paramLabel = "DIR", description = "A run directory of nas search.")
    private Path run;

    @Option(names = "--top", paramLabel = "K", defaultValue = "1", description = "How many (default: ${DEFAULT-VALUE}).")
    private int top;

    @Option(names = "--format", paramLabel = "F", defaultValue = "native", description = "native or nni-v1 (default: ${DEFAULT-VALUE}).")
    private String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write there instead of standard output.")
    private Path out;

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
            SpecLoader.Checked checked = SearchRun.spec(run, SearchRun.settings(run));
            List<SearchRun.Trial> trials = new ArrayList<>(SearchRun.trials(run, checked).stream()
                    .filter(t -> !Double.isNaN(t.score())).toList());
            if (trials.isEmpty() && Files.exists(run.resolve("architecture.json"))) {
                // A one-shot run before (or without) its path search: its current choice, read back to check it.
                Map<String, Object> chosen = Architectures.read(Files.readString(run.resolve("architecture.json")), checked.space());
                String text = format.equals("nni-v1") ? Architectures.writeNniV1(chosen, checked.space()) : Architectures.write(chosen);
                return write(text);
            }
            if (trials.isEmpty()) {
                self.commandLine().getErr().println("nas export: " + run + " has no finished trial (or trained epoch) yet");
                return 1;
            }
            trials.sort(Comparator.comparingDouble(SearchRun.Trial::score).reversed().thenComparingInt(SearchRun.Trial::id));
            String text;
            if (top == 1) {
                Map<String, Object> best = trials.get(0).architecture();
                text = format.equals("nni-v1") ? Architectures.writeNniV1(best, checked.space()) : Architectures.write(best);
            } else {
                List<Map<String, Object>> list = new ArrayList<>();
                for (SearchRun.Trial t : trials.subList(0, Math.min(top, trials.size()))) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("trial", t.id());
                    m.put("score", t.score());
                    m.put("architecture", new GsonBuilder().create().fromJson(format.equals("nni-v1")
                            ? Architectures.writeNniV1(t.architecture(), checked.space()) : Architectures.write(t.architecture()), Map.class));
                    list.add(m);
                }
                text = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(list) + "\n";
            }
            return write(text);
        } catch (DataException | ArchitectureException | IOException e) {
            self.commandLine().getErr().println("nas export: " + e.getMessage());
            return 1;
        }
    }

    private int write(String text) throws IOException {
        if (out != null) {
            Files.writeString(out, text);
        } else {
            self.commandLine().getOut().print(text);
        }
        return 0;
    }
}
