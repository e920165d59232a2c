package org.nas4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nas4j.space.InputException;

/** Which libtorch the engine loads, from NAS4J_LIBTORCH and DJL's variables, in the layouts libtorch ships in. */
class LibtorchTest {

    /** A libtorch archive's layout: libtorch/{build-version, lib/libtorch.so}. */
    private static Path archive(Path dir, String version) throws Exception {
        Path root = dir.resolve("libtorch");
        Files.createDirectories(root.resolve("lib"));
        Files.writeString(root.resolve("lib").resolve(System.mapLibraryName("torch")), "");
        Files.writeString(root.resolve("build-version"), version + "\n");
        return root;
    }

    private static String refusal(Map<String, String> env) {
        return assertThrows(InputException.class, () -> Libtorch.select(env)).getMessage();
    }

    @Test
    void withoutVariablesTheBundledCpuBuildLoads() throws Exception {
        assertEquals(Libtorch.Selection.BUNDLED, Libtorch.select(Map.of("PATH", "/usr/bin")));
    }

    @Test
    void aCudaArchiveOfTheRightVersionIsTakenFromItsRootOrItsLib(@TempDir Path dir) throws Exception {
        Path root = archive(dir, "2.7.1+cu128");
        for (Path given : new Path[] {root, root.resolve("lib")}) {
            Libtorch.Selection s = Libtorch.select(Map.of(Libtorch.ENV, given.toString()));
            assertEquals(Libtorch.ENV, s.source());
            assertEquals(root.resolve("lib").toAbsolutePath(), s.dir());
            assertEquals("2.7.1+cu128", s.version());
            assertEquals("cu128", s.flavor());
        }
    }

    @Test
    void anInstalledPyTorchIsReadFromItsVersionFile(@TempDir Path dir) throws Exception {
        Path torch = dir.resolve("site-packages/torch");
        Files.createDirectories(torch.resolve("lib"));
        Files.writeString(torch.resolve("lib").resolve(System.mapLibraryName("torch")), "");
        // PyPI's default wheel has no local version; its CUDA is in the cuda line.
        Files.writeString(torch.resolve("version.py"), "from typing import Optional\n__version__ = '2.7.1'\n"
                + "cuda: Optional[str] = '12.8'\ngit_version = 'e2d141dbde55c2a4370fac5165b0561b6af4798b'\n");
        Libtorch.Selection s = Libtorch.select(Map.of(Libtorch.ENV, torch.resolve("lib").toString()));
        assertEquals("cu128", s.flavor());
        Files.writeString(torch.resolve("version.py"), "__version__ = '2.7.1+cpu'\ncuda: Optional[str] = None\n");
        assertEquals("cpu", Libtorch.select(Map.of(Libtorch.ENV, torch.resolve("lib").toString())).flavor());
    }

    @Test
    void anotherVersionIsRefusedNamingWhatWasFoundAndWhatIsNeeded(@TempDir Path dir) throws Exception {
        String m = refusal(Map.of(Libtorch.ENV, archive(dir, "2.5.1+cu124").toString()));
        assertTrue(m.contains("holds libtorch 2.5.1+cu124") && m.contains("needs libtorch 2.7.1"), m);
    }

    @Test
    void aCudaFlavorWithoutABundledBridgeIsRefusedNamingTheOnesThatWork(@TempDir Path dir) throws Exception {
        String m = refusal(Map.of(Libtorch.ENV, archive(dir, "2.7.1+cu126").toString()));
        assertTrue(m.contains("flavor cu126") && m.contains("cu128"), m);
    }

    @Test
    void aFolderWithoutLibtorchOrWithoutAVersionIsRefused(@TempDir Path dir) throws Exception {
        String missing = refusal(Map.of(Libtorch.ENV, dir.resolve("nope").toString()));
        assertTrue(missing.contains("NAS4J_LIBTORCH=" + dir.resolve("nope")) && missing.contains("no such directory"), missing);
        String empty = refusal(Map.of(Libtorch.ENV, dir.toString()));
        assertTrue(empty.contains("no " + System.mapLibraryName("torch")), empty);
        Files.writeString(dir.resolve(System.mapLibraryName("torch")), "");
        String unknown = refusal(Map.of(Libtorch.ENV, dir.toString()));
        assertTrue(unknown.contains("cannot tell which libtorch"), unknown);
    }

    @Test
    void djlsOwnVariablesAreTakenAloneAndRefusedBesideNas4js(@TempDir Path dir) throws Exception {
        Path root = archive(dir, "2.7.1+cu128");
        Libtorch.Selection own = Libtorch.select(Map.of("PYTORCH_LIBRARY_PATH", root.resolve("lib").toString()));
        assertEquals("PYTORCH_LIBRARY_PATH", own.source());
        assertNull(own.flavor());
        String both = refusal(Map.of(Libtorch.ENV, root.toString(), "PYTORCH_FLAVOR", "cu128"));
        assertTrue(both.contains("both set") && both.contains("PYTORCH_FLAVOR"), both);
        String download = refusal(Map.of("PYTORCH_VERSION", "2.5.1"));
        assertTrue(download.contains("PYTORCH_VERSION=2.5.1") && download.contains("offline"), download);
    }

    @Test
    void djlsCacheFolderNamesItsVersionAndFlavor(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("2.7.1-20250812-cpu-linux-x86_64");
        Files.createDirectories(cache);
        Files.writeString(cache.resolve(System.mapLibraryName("torch")), "");
        Files.writeString(cache.resolve(System.mapLibraryName("djl_torch")), "");
        Libtorch.Selection s = Libtorch.select(Map.of(Libtorch.ENV, cache.toString()));
        assertEquals("cpu", s.flavor());
        assertEquals("2.7.1+cpu", s.version());
    }
}
