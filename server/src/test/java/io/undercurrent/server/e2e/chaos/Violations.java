package io.undercurrent.server.e2e.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The broken invariants of one scenario, each with the frame that broke it and the frames before it;
 * and, apart, known problems the scenario was told to tolerate (counted, the first one kept), which
 * do not fail it. Thread-safe.
 */
final class Violations {

    private static final int KEPT = 20;

    private final List<String> kept = new ArrayList<>();
    private final AtomicInteger count = new AtomicInteger();
    private final java.util.Map<String, String> firstTolerated = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, AtomicInteger> tolerated = new java.util.concurrent.ConcurrentHashMap<>();

    void tolerate(String kind, String example) {
        tolerated.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
        firstTolerated.putIfAbsent(kind, example);
    }

    /** One line per tolerated kind: how often, and the first example. */
    List<String> tolerated() {
        List<String> out = new ArrayList<>();
        tolerated.forEach(
                (kind, n) -> out.add(n.get() + " " + kind + " (tolerated), e.g. " + firstTolerated.get(kind)));
        return out;
    }

    private final java.util.Map<String, AtomicInteger> kinds = new java.util.concurrent.ConcurrentSkipListMap<>();

    void add(String where, String what, String frame, List<String> before) {
        count.incrementAndGet();
        // "row 59 version 4 arrived again" and "row 7 version 2 arrived again" are one kind
        kinds.computeIfAbsent(what.replaceAll("\\{[^}]*}", "{…}").replaceAll("-?\\d+", "#"), k -> new AtomicInteger())
                .incrementAndGet();
        synchronized (kept) {
            if (kept.size() < KEPT) {
                StringBuilder text =
                        new StringBuilder().append(where).append(": ").append(what);
                if (frame != null) {
                    text.append("\n      frame: ").append(frame);
                }
                if (before != null && !before.isEmpty()) {
                    text.append("\n      after: ").append(String.join("\n             ", before));
                }
                kept.add(text.toString());
            }
        }
    }

    /** How often each kind of violation happened, e.g. {@code 12× row # went back from version # to #}. */
    List<String> kinds() {
        List<String> out = new ArrayList<>();
        kinds.forEach((kind, n) -> out.add(n.get() + "× " + kind));
        return out;
    }

    boolean any() {
        return count.get() > 0;
    }

    int count() {
        return count.get();
    }

    List<String> kept() {
        synchronized (kept) {
            return List.copyOf(kept);
        }
    }
}
