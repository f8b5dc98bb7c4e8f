package io.undercurrent.embedded;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** Runs a LocalPostgres on the data dir in {@code args[0]} until killed; see {@link StalePostmasterIT}. */
public final class LocalPostgresChildMain {

    private LocalPostgresChildMain() {}

    public static void main(String[] args) throws InterruptedException {
        LocalPostgres postgres =
                LocalPostgres.start(LocalPostgres.Options.defaults().withDataDir(Path.of(args[0])));
        System.out.println("postgres ready port=" + postgres.port());
        new CountDownLatch(1).await();
    }
}
