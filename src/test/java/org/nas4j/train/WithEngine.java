package org.nas4j.train;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Tests that load datasets: one engine manager for the class, a fresh folder per test. */
abstract class WithEngine {
    /** Owns the arrays the tests load. */
    static NDManager manager;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startEngine() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }
}
