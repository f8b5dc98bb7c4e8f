package io.undercurrent.source.mongodb;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/** Skips a test, saying why, where no Docker engine runs (a MongoDB replica set runs only in a container here). */
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
                        + "is not enough), so a MongoDB replica set cannot be started. These tests run wherever "
                        + "`docker info` succeeds.");
    }
}
