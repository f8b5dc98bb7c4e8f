package io.undercurrent.bus;

import java.time.Duration;

/** Waits between attempts; injected so that tests step loops without waiting. */
@FunctionalInterface
public interface Sleeper {

    /** Sleeps on the calling thread. */
    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
