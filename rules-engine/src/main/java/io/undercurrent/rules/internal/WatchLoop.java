package io.undercurrent.rules.internal;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watcher thread: runs a step on every file-system event and at least once per interval.
 * Events make changes quick where the platform delivers them promptly (Linux); the interval is the
 * fallback where the watch service itself polls slowly (macOS: seconds) or is unavailable.
 */
public final class WatchLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WatchLoop.class);

    private final Path directory;
    private final long intervalNanos;
    private final Runnable step;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;
    private WatchService watchService;
    private WatchKey key;

    private WatchLoop(Path directory, Duration interval, Runnable step) {
        this.directory = directory;
        this.intervalNanos = interval.toNanos();
        this.step = step;
        this.thread = new Thread(this::run, "undercurrent-rules-watcher");
        this.thread.setDaemon(true);
    }

    /** Starts watching; {@code step} must not throw (it runs on the watcher thread). */
    public static WatchLoop start(Path directory, Duration interval, Runnable step) {
        WatchLoop loop = new WatchLoop(directory, interval, step);
        try {
            loop.watchService = FileSystems.getDefault().newWatchService();
        } catch (IOException | UnsupportedOperationException e) {
            LOG.info(
                    "No file-system events for {} ({}); polling every {} ms",
                    directory,
                    e.getMessage(),
                    interval.toMillis());
        }
        loop.thread.start();
        return loop;
    }

    private void run() {
        try {
            while (stopped.getCount() > 0) {
                awaitChangeOrInterval();
                if (stopped.getCount() == 0) {
                    return;
                }
                try {
                    step.run();
                } catch (RuntimeException e) {
                    LOG.error("Rules watcher step failed; watching goes on", e);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // close() asked us to stop.
        }
    }

    private void awaitChangeOrInterval() throws InterruptedException {
        if (watchService == null || !registered()) {
            stopped.await(intervalNanos, TimeUnit.NANOSECONDS);
            return;
        }
        WatchKey signalled = watchService.poll(intervalNanos, TimeUnit.NANOSECONDS);
        if (signalled != null) {
            signalled.pollEvents();
            signalled.reset();
        }
    }

    /** (Re-)registers the folder, e.g. after it was deleted and created again. */
    private boolean registered() {
        if (key != null && key.isValid()) {
            return true;
        }
        try {
            key = directory.register(
                    watchService,
                    StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_DELETE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the thread and waits (briefly) for it to end. */
    @Override
    public void close() {
        stopped.countDown();
        if (watchService != null) {
            try {
                watchService.close();
            } catch (IOException e) {
                LOG.debug("Closing the watch service of {} failed", directory, e);
            }
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
