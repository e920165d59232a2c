package org.nas4j.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nas4j.space.InputException;

/**
 * Which libtorch the PyTorch engine loads. By default the CPU build bundled with nas4j (DJL's
 * pytorch-native-cpu jar, unpacked to DJL's cache). {@code NAS4J_LIBTORCH=DIR} points at a local
 * libtorch 2.7.1 instead (the unpacked libtorch archive or its {@code lib/}, or an installed
 * PyTorch 2.7.1's {@code torch/lib}); a CUDA build of it is how nas4j reaches a GPU. The
 * selection becomes DJL's PYTORCH_LIBRARY_PATH, PYTORCH_VERSION and PYTORCH_FLAVOR, all three,
 * because DJL left to guess would name a flavor whose JNI bridge it must download.
 */
public final class Libtorch {
    /** The variable users set. */
    public static final String ENV = "NAS4J_LIBTORCH";
    /** The libtorch version DJL 0.36's JNI bridge (pytorch-jni 2.7.1-0.36.0) is built against. */
    public static final String VERSION = "2.7.1";
    /** DJL's own variables; DJL reads the environment before system properties. */
    static final List<String> DJL_VARIABLES = List.of("PYTORCH_LIBRARY_PATH", "PYTORCH_VERSION", "PYTORCH_FLAVOR");
    /** Flavors a DJL release might bring a JNI bridge for: probed to say which this one has. */
    private static final List<String> KNOWN_FLAVORS = List.of("cpu", "cu118", "cu121", "cu124", "cu126", "cu128", "cu129", "cu130");
    /** The folder name DJL gives an unpacked libtorch in its cache: 2.7.1-20250812-cpu-linux-x86_64. */
    private static final Pattern DJL_CACHE_NAME = Pattern.compile("(\\d+\\.\\d+\\.\\d+)(?:-\\d+)?-(cpu|cu\\d+)(?:-precxx11)?-[a-z]+-[a-z0-9_]+");
    private static final Pattern WHEEL_VERSION = Pattern.compile("(?m)^__version__\\s*=\\s*['\"]([^'\"]+)['\"]");
    private static final Pattern WHEEL_CUDA = Pattern.compile("(?m)^cuda\\s*(?::[^=]*)?=\\s*['\"](\\d+)\\.(\\d+)['\"]");

    private Libtorch() {
    }

    /**
     * Where the engine's libraries come from.
     *
     * @param source  {@code bundled}, {@link #ENV}, or {@code PYTORCH_LIBRARY_PATH} (DJL's variable, set by the user)
     * @param dir     the folder holding libtorch, or null for the bundled build (DJL unpacks it on first use)
     * @param version libtorch's version as found (e.g. 2.7.1+cu128), or null when not known before loading
     * @param flavor  {@code cpu} or {@code cuNNN}, or null when not known before loading
     */
    public record Selection(String source, Path dir, String version, String flavor) {
        /** The bundled CPU build. */
        public static final Selection BUNDLED = new Selection("bundled", null, null, null);

        /** One line for messages and nas doctor. */
        public String describe() {
            if (dir == null) {
                return source.equals("bundled") ? "the CPU build bundled with nas4j" : "from " + source;
            }
            return "libtorch " + (version != null ? version : "?") + " from " + dir + " (" + source + ")";
        }
    }

    /**
     * Reads the selection from {@code env} (the process's environment), checking a directory
     * named by NAS4J_LIBTORCH: a libtorch in it, of version 2.7.1, of a flavor DJL has a JNI
     * bridge for. Each problem is one message naming what was found and what is needed.
     */
    public static Selection select(Map<String, String> env) throws InputException {
        String asked = env.get(ENV);
        List<String> djlSet = DJL_VARIABLES.stream().filter(v -> env.get(v) != null && !env.get(v).isEmpty()).toList();
        if (asked == null || asked.isEmpty()) {
            if (djlSet.contains("PYTORCH_LIBRARY_PATH")) {
                return new Selection("PYTORCH_LIBRARY_PATH", Path.of(env.get("PYTORCH_LIBRARY_PATH")), env.get("PYTORCH_VERSION"),
                        env.get("PYTORCH_FLAVOR"));
            }
            String version = env.get("PYTORCH_VERSION");
            if (version != null && !version.isEmpty() && !version.startsWith(VERSION)) {
                throw new InputException("PYTORCH_VERSION=" + version + " is set: DJL would download libtorch " + version
                        + ", and nas4j runs offline with libtorch " + VERSION + ". Unset it, or give a local libtorch " + VERSION
                        + " with " + ENV + "=DIR (see docs/gpu.md)");
            }
            return Selection.BUNDLED;
        }
        if (!djlSet.isEmpty()) {
            throw new InputException(ENV + " and DJL's " + String.join(", ", djlSet) + " are both set; DJL would take its own "
                    + "variables. Unset " + String.join(" and ", djlSet) + " (" + ENV + " sets them for the engine)");
        }
        Path given = Path.of(asked).toAbsolutePath().normalize();
        String where = ENV + "=" + asked;
        if (!Files.isDirectory(given)) {
            throw new InputException(where + ": " + (Files.exists(given) ? "not a directory" : "no such directory")
                    + "; it must name a libtorch " + VERSION + " folder (see docs/gpu.md)");
        }
        String lib = System.mapLibraryName("torch");
        Path dir = Files.isRegularFile(given.resolve("lib").resolve(lib)) ? given.resolve("lib") : given;
        if (!Files.isRegularFile(dir.resolve(lib))) {
            throw new InputException(where + ": no " + lib + " in " + given + " or its lib/; it must name libtorch " + VERSION
                    + "'s library folder (the unpacked libtorch archive, or an installed PyTorch " + VERSION + "'s torch/lib)");
        }
        String[] found = versionAndFlavor(dir);
        if (found == null) {
            throw new InputException(where + ": cannot tell which libtorch " + dir + " holds (no build-version next to it as in the "
                    + "libtorch archive, no version.py as in a PyTorch installation); nas4j needs libtorch " + VERSION);
        }
        String version = found[0];
        String flavor = found[1];
        String numbers = version.contains("+") ? version.substring(0, version.indexOf('+')) : version;
        if (!numbers.equals(VERSION)) {
            throw new InputException(where + " holds libtorch " + version + "; nas4j's engine (DJL 0.36) needs libtorch " + VERSION
                    + " (" + bundledFlavors() + ")");
        }
        if (!hasJniBridge(dir, flavor)) {
            throw new InputException(where + " holds libtorch " + version + " (flavor " + flavor + "), but DJL 0.36 brings its JNI "
                    + "bridge only for " + bundledFlavors() + " on " + classifier() + ", and nas4j cannot download another; "
                    + "use libtorch " + VERSION + " of one of those flavors");
        }
        return new Selection(ENV, dir, version, flavor);
    }

    /** Makes DJL load {@code s} (its PYTORCH_* properties); call before anything touches the engine. */
    static void apply(Selection s) {
        if (s.source().equals(ENV)) {
            System.setProperty("PYTORCH_LIBRARY_PATH", s.dir().toString());
            System.setProperty("PYTORCH_VERSION", VERSION);
            System.setProperty("PYTORCH_FLAVOR", s.flavor());
        }
    }

    /** {version, flavor} of the libtorch in {@code dir}, from the files its distributions carry; null when none says. */
    static String[] versionAndFlavor(Path dir) {
        Path parent = dir.getParent();
        Path archive = parent == null ? null : parent.resolve("build-version");
        try {
            if (archive != null && Files.isRegularFile(archive)) {
                String v = Files.readString(archive, StandardCharsets.UTF_8).trim();
                return new String[] {v, flavorOf(v, dir)};
            }
            Path wheel = parent == null ? null : parent.resolve("version.py");
            if (wheel != null && Files.isRegularFile(wheel)) {
                String text = Files.readString(wheel, StandardCharsets.UTF_8);
                Matcher v = WHEEL_VERSION.matcher(text);
                if (v.find()) {
                    Matcher cuda = WHEEL_CUDA.matcher(text);
                    String flavor = v.group(1).contains("+") ? flavorOf(v.group(1), dir)
                            : cuda.find() ? "cu" + cuda.group(1) + cuda.group(2) : "cpu";
                    return new String[] {v.group(1), flavor};
                }
            }
        } catch (IOException e) {
            return null;
        }
        Matcher m = DJL_CACHE_NAME.matcher(dir.getFileName() == null ? "" : dir.getFileName().toString());
        return m.matches() ? new String[] {m.group(1) + "+" + m.group(2), m.group(2)} : null;
    }

    /** The flavor a version's local part names (2.7.1+cu128), else what the folder's libraries show. */
    private static String flavorOf(String version, Path dir) {
        int plus = version.indexOf('+');
        if (plus >= 0) {
            return version.substring(plus + 1).toLowerCase(Locale.ROOT);
        }
        return Files.exists(dir.resolve(System.mapLibraryName("torch_cuda"))) ? "cuda of an unknown version" : "cpu";
    }

    /** Whether DJL can load its JNI bridge for {@code flavor} without a download: bundled in pytorch-jni, or beside libtorch. */
    private static boolean hasJniBridge(Path dir, String flavor) {
        String jni = System.mapLibraryName("djl_torch");
        if (Files.exists(dir.resolve(jni)) || Files.exists(dir.resolve(ai.djl.engine.Engine.getDjlVersion() + "-" + jni))) {
            return true;
        }
        return Libtorch.class.getClassLoader().getResource("jnilib/" + classifier() + "/" + flavor + "/" + jni) != null;
    }

    /** The flavors this DJL's pytorch-jni jar brings a JNI bridge for on this platform, e.g. "cpu and cu128". */
    static String bundledFlavors() {
        return bundledFlavors(false);
    }

    /** The same, only CUDA's ({@code cudaOnly}) or all. */
    static String bundledFlavors(boolean cudaOnly) {
        String jni = System.mapLibraryName("djl_torch");
        List<String> have = new ArrayList<>();
        for (String f : KNOWN_FLAVORS) {
            if ((!cudaOnly || f.startsWith("cu")) && Libtorch.class.getClassLoader().getResource("jnilib/" + classifier() + "/" + f + "/" + jni) != null) {
                have.add(f);
            }
        }
        return have.isEmpty() ? "no flavor" : String.join(" and ", have);
    }

    /** Where DJL unpacks the bundled libtorch (DJL_CACHE_DIR, else ~/.djl.ai). */
    static Path cacheDir() {
        return ai.djl.util.Utils.getEngineCacheDir("pytorch");
    }

    /** DJL's name for this platform: linux-x86_64, osx-aarch64, win-x86_64. */
    static String classifier() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String o = os.startsWith("mac") ? "osx" : os.startsWith("win") ? "win" : "linux";
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("arm64") ? "aarch64" : arch;
        return o + "-" + a;
    }
}
