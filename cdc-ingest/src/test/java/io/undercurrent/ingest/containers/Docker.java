package io.undercurrent.ingest.containers;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/** Skips a test class, saying why, where no Docker engine runs (MySQL 8 and MongoDB run only in containers). */
final class Docker {

    private Docker() {}

    static void assumeAvailable(String what) {
        boolean available;
        try {
            available = DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            available = false;
        }
        Assumptions.assumeTrue(
                available,
                () -> what + " skipped: no Docker engine is reachable on this machine (a Docker client alone "
                        + "is not enough), so " + what
                        + " cannot be started. These tests run wherever `docker info` succeeds.");
    }
}
