package org.nas4j.bench;

import java.io.IOException;
import java.nio.file.Path;
import org.nas4j.search.TableEvaluator;
import org.nas4j.spec.SpecLoader;

/** specs/nas-bench-macro.yaml and its shipped table, as the strategy benchmarks read them. */
record MacroTable(SpecLoader.Checked checked, TableEvaluator table) {

    /** Loads both (run from the repository root). */
    static MacroTable load() throws IOException {
        SpecLoader.Checked c = SpecLoader.load(Path.of("specs/nas-bench-macro.yaml"));
        var e = c.spec().search().evaluator();
        return new MacroTable(c, new TableEvaluator(Path.of("benchmarks/nas-bench-macro/nas-bench-macro_cifar10.json"), e.key(), e.metric()));
    }
}
