package io.undercurrent.rules;

import io.undercurrent.rules.internal.Reloader;
import io.undercurrent.rules.internal.WatchLoop;
import java.util.Objects;

/**
 * The rules of one folder, live: loaded and validated at start, then (optionally) watched, with
 * valid changes swapped in atomically and invalid ones refused without touching the running rules.
 *
 * <p>Thread-safe. {@link #current()} is a volatile read, cheap enough to call per change; evaluate a
 * whole batch against one snapshot when the batch must be judged consistently. Built by the server's
 * wiring (one per process); this library starts no threads other than the watcher.
 *
 * <pre>{@code
 * try (RulesEngine rules = RulesEngine.start(new RulesOptions(Path.of("rules"), "app", true), listener)) {
 *   Access access = rules.current().access(table, claims, row, System.currentTimeMillis());
 * }
 * }</pre>
 */
public final class RulesEngine implements AutoCloseable {

    private final Reloader reloader;
    private final WatchLoop watcher;

    private RulesEngine(Reloader reloader, WatchLoop watcher) {
        this.reloader = reloader;
        this.watcher = watcher;
    }

    /**
     * Loads and validates {@code options.directory()}, then starts the watcher when
     * {@code options.hotReload()}.
     *
     * @param options where the rules are and how to watch them; never null
     * @param listener told about reloads, on the watcher thread; null for none
     * @throws RulesException carrying every problem in every file, when the rules are not valid (or the
     *     folder cannot be read); nothing is started then
     */
    public static RulesEngine start(RulesOptions options, RulesListener listener) throws RulesException {
        Objects.requireNonNull(options, "options");
        Reloader reloader = new Reloader(options, listener);
        reloader.loadInitial();
        WatchLoop watcher = options.hotReload()
                ? WatchLoop.start(options.directory(), options.pollInterval(), reloader::checkOnce)
                : null;
        return new RulesEngine(reloader, watcher);
    }

    /** The live rules: an immutable snapshot, replaced (never changed) by a reload. Never null. */
    public RuleSet current() {
        return reloader.current();
    }

    /** How the last load or reload went, and the running rules' run-time error counts. */
    public RulesStatus status() {
        return reloader.status();
    }

    /**
     * Loads the folder now if its rule files changed since they were last loaded (or refused), without
     * waiting for the watcher; for an explicit request such as an admin endpoint or a signal, and
     * usable without hot reload. The listener is called on the calling thread. Never throws: a refused
     * change is in the returned status, and the running rules stay in force.
     */
    public RulesStatus reloadNow() {
        reloader.reloadNow();
        return reloader.status();
    }

    /** Stops watching (waits up to a few seconds for the watcher thread). Idempotent. */
    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
    }
}
