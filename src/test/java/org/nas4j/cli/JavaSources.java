package org.nas4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles Java sources against the tests' class path (nas4j and its libraries), as a user's build would. */
public final class JavaSources {
    private JavaSources() {
    }

    /** Compiles {@code sources} into {@code classes}, failing with javac's output when they do not compile. */
    public static void compile(List<Path> sources, Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path"), "--release", "17"));
        sources.forEach(s -> args.add(s.toString()));
        StringWriter log = new StringWriter();
        OutputStream errors = new OutputStream() {
            @Override
            public void write(int b) {
                log.write(b);
            }
        };
        if (javac.run(null, errors, errors, args.toArray(String[]::new)) != 0) {
            throw new AssertionError("javac failed:\n" + log);
        }
    }

    /** The example plug-in (examples/plugin) built into {@code jar}: its classes and its META-INF/services. */
    public static Path examplePlugin(Path work) throws IOException {
        Path src = Path.of("examples/plugin/src/main");
        Path classes = work.resolve("plugin-classes");
        List<Path> sources;
        try (Stream<Path> s = Files.walk(src.resolve("java"))) {
            sources = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        compile(sources, classes);
        Path jar = work.resolve("nas4j-example-plugin.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Path root : List.of(classes, src.resolve("resources"))) {
                try (Stream<Path> s = Files.walk(root)) {
                    for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                        out.putNextEntry(new java.util.jar.JarEntry(root.relativize(f).toString().replace('\\', '/')));
                        out.write(Files.readAllBytes(f));
                        out.closeEntry();
                    }
                }
            }
        }
        return jar;
    }
}
