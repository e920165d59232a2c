package org.nas4j.search;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.nas4j.space.Architecture;
import org.nas4j.space.InputException;
import org.nas4j.spec.Spec;
import org.nas4j.spec.SpecLoader;
import org.nas4j.spec.Extensions;
import org.nas4j.supernet.OpPlugin;
import org.nas4j.train.DatasetPlugin;
import org.nas4j.train.PluginData;

/**
 * Plug-in jars: each gets a class loader under nas4j's own (so DJL stays on one loader) and its
 * {@link DatasetPlugin}s, {@link OpPlugin}s and {@link EvaluatorPlugin}s join the spec language and the run. Worker
 * processes get the same jars through {@link #ENV}. A jar's class loader lives as long as the process,
 * as the classes it gave the run do.
 */
public final class Plugins {
    /** The environment variable listing plug-in jars, separated as a class path is. */
    public static final String ENV = "NAS4J_PLUGINS";

    private static final Map<Path, List<String>> JARS = new LinkedHashMap<>();
    private static final Map<String, EvaluatorPlugin> EVALUATORS = new TreeMap<>();

    private Plugins() {
    }

    /** Installs the jars {@link #ENV} lists in {@code env}; see {@link #install(List)}. */
    public static List<String> installFromEnvironment(Map<String, String> env) throws InputException {
        String list = env.get(ENV);
        List<Path> jars = new ArrayList<>();
        if (list != null) {
            for (String part : list.split(File.pathSeparator)) {
                if (!part.isBlank()) {
                    jars.add(path(part, ENV));
                }
            }
        }
        return install(jars);
    }

    private static Path path(String text, String from) throws InputException {
        try {
            return Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw new InputException(from + ": '" + text + "' is not a usable path: " + e.getReason());
        }
    }

    /**
     * Loads each jar not loaded yet and adds what it provides; returns what was added, one line each
     * ("dataset blobs (demo.jar)").
     *
     * @throws InputException naming the jar when it is missing, not a jar, provides nothing, or names a kind nas4j has
     */
    public static synchronized List<String> install(List<Path> jars) throws InputException {
        List<String> added = new ArrayList<>();
        for (Path given : jars) {
            Path jar = given.toAbsolutePath().normalize();
            if (JARS.containsKey(jar)) {
                continue;
            }
            if (!Files.isRegularFile(jar)) {
                throw new InputException("plug-in " + given + ": " + (Files.exists(jar) ? "not a file" : "no such file"));
            }
            List<String> provides = load(jar, given);
            if (provides.isEmpty()) {
                throw new InputException("plug-in " + given + ": provides no dataset, op or evaluator (its META-INF/services should name"
                        + " classes implementing " + DatasetPlugin.class.getName() + ", " + OpPlugin.class.getName() + " or "
                        + EvaluatorPlugin.class.getName() + ")");
            }
            JARS.put(jar, provides);
            added.addAll(provides);
        }
        return added;
    }

    private static List<String> load(Path jar, Path given) throws InputException {
        URLClassLoader loader;
        try {
            loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, Plugins.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new InputException("plug-in " + given + ": " + e.getMessage());
        }
        String source = given.getFileName().toString();
        List<String> provides = new ArrayList<>();
        try {
            for (DatasetPlugin p : ownServices(DatasetPlugin.class, loader)) {
                Extensions.addDataset(new Extensions.Kind(p.kind(), p.fields(), source));
                PluginData.register(p);
                provides.add("dataset " + p.kind() + " (" + source + ")");
            }
            for (OpPlugin p : ownServices(OpPlugin.class, loader)) {
                Extensions.addOp(p, source);
                provides.add("op " + p.specName() + " (" + source + ")");
            }
            for (EvaluatorPlugin p : ownServices(EvaluatorPlugin.class, loader)) {
                Extensions.addEvaluator(new Extensions.Kind(p.type(), p.fields(), source));
                EVALUATORS.put(p.type(), p);
                provides.add("evaluator " + p.type() + " (" + source + ")");
            }
        } catch (ServiceConfigurationError | IllegalArgumentException | LinkageError e) {
            throw new InputException("plug-in " + given + ": " + (e.getCause() != null ? e.getMessage() + ": " + e.getCause() : e.getMessage()));
        }
        return provides;
    }

    /** The providers of {@code service} that the jar itself declares (not those of nas4j's own class path). */
    private static <T> List<T> ownServices(Class<T> service, URLClassLoader loader) {
        List<T> out = new ArrayList<>();
        for (ServiceLoader.Provider<T> p : ServiceLoader.load(service, loader).stream().toList()) {
            if (p.type().getClassLoader() == loader) {
                out.add(p.get());
            }
        }
        return out;
    }

    /** The installed jars, absolute paths, in the order they were loaded (what a new run records). */
    public static synchronized List<String> installed() {
        return JARS.keySet().stream().map(Path::toString).toList();
    }

    /** The installed jars as {@link #ENV}'s value (empty when there are none). */
    public static synchronized String environmentValue() {
        return String.join(File.pathSeparator, installed());
    }

    /** The evaluator of a plug-in's type, made for this run. */
    static Evaluator evaluator(Spec.EvaluatorSpec e, SpecLoader.Checked checked, long seed, ai.djl.Device device)
            throws InputException {
        EvaluatorPlugin plugin;
        synchronized (Plugins.class) {
            plugin = EVALUATORS.get(e.type());
        }
        if (plugin == null) {
            throw new InputException("evaluator type '" + e.type() + "' comes from a plug-in that is not loaded (--plugin JAR or "
                    + ENV + ")");
        }
        List<Integer> input = checked.spec().input().dims();
        int classes = checked.shapes().outputs().iterator().next().dim(0);
        EvaluatorPlugin.Context context = new EvaluatorPlugin.Context() {
            @Override
            public Map<String, String> options() {
                return e.options();
            }

            @Override
            public long seed() {
                return seed;
            }

            @Override
            public ai.djl.Device device() {
                return device;
            }

            @Override
            public List<Integer> input() {
                return input;
            }

            @Override
            public int classes() {
                return classes;
            }

            @Override
            public ai.djl.nn.Block child(Architecture architecture) throws Exception {
                return org.nas4j.supernet.SupernetCompiler.child(checked.spec(), architecture.asMap());
            }
        };
        try {
            return plugin.create(context);
        } catch (Exception ex) {
            throw new InputException("evaluator " + e.type() + " (plug-in " + plugin.getClass().getName() + "): "
                    + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
        }
    }
}
