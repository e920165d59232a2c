package org.nas4j.api;

import java.nio.file.Path;
import java.util.List;
import org.nas4j.search.Plugins;
import org.nas4j.space.InputException;

/**
 * Plug-in jars for an application, as {@code --plugin JAR} loads them for the command: their
 * dataset kinds, ops and evaluator types join the spec language before {@link NasSpec#load} reads
 * a spec that names them. Each jar gets a class loader under nas4j's own.
 */
public final class PluginJars {
    private PluginJars() {
    }

    /**
     * Loads the jars (a jar loaded before is skipped) and returns what they add, one line each,
     * such as "dataset blobs (my-plugin.jar)".
     *
     * @throws NasException naming the jar when it is missing, provides nothing, or names a kind nas4j already has
     */
    public static List<String> load(Path... jars) throws NasException {
        try {
            return Plugins.install(List.of(jars));
        } catch (InputException e) {
            throw new NasException(e.getMessage());
        }
    }
}
