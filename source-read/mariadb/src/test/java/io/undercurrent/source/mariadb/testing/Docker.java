package io.undercurrent.source.mariadb.testing;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * Skips a test, saying why, where no Docker engine runs: MySQL 8 and MongoDB run only in containers
 * here. Shared through this module's test-jar with ingest's and the server's container tests.
 */
public final class Docker {

    private Docker() {}

    /** True when a Docker engine answers. */
    public static boolean available() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Skips the calling test unless a Docker engine answers. Call it per test (from {@code @BeforeEach}):
     * a skip in {@code @BeforeAll} reaches the test reports as no tests at all, without the reason.
     */
    public static void assumeAvailable(String what) {
        Assumptions.assumeTrue(
                available(),
                () -> what + " skipped: no Docker engine is reachable on this machine (a Docker client alone is not"
                        + " enough), so its database cannot be started. It runs wherever `docker info` succeeds.");
    }
}
