package io.undercurrent.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The top of a CPU profile from a flight recording: where the samples' top frames are (self), which
 * methods are on the most stacks (total), which threads burn the CPU, what allocates, and the GC
 * pauses. Printed; the recording itself stays for JDK Mission Control or {@code jfr print}.
 */
final class ProfileSummary {

    private final Map<String, Long> self = new HashMap<>();
    private final Map<String, Long> total = new HashMap<>();
    private final Map<String, Long> threads = new HashMap<>();
    private final Map<String, Long> allocations = new HashMap<>();
    private long samples;
    private long allocated;
    private long pauses;
    private Duration pauseTotal = Duration.ZERO;
    private Duration pauseMax = Duration.ZERO;

    /** The events of the recording between {@code from} and {@code to}. */
    static ProfileSummary read(Path recording, Instant from, Instant to) throws IOException {
        ProfileSummary p = new ProfileSummary();
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!e.getStartTime().isBefore(from) && !e.getStartTime().isAfter(to)) {
                    p.add(e);
                }
            }
        }
        return p;
    }

    private void add(RecordedEvent e) {
        switch (e.getEventType().getName()) {
            case "jdk.ExecutionSample" -> {
                samples++;
                RecordedStackTrace stack = e.getStackTrace();
                if (stack != null && !stack.getFrames().isEmpty()) {
                    self.merge(name(stack.getFrames().get(0)), 1L, Long::sum);
                    Set<String> seen = new HashSet<>();
                    for (RecordedFrame f : stack.getFrames()) {
                        if (seen.add(name(f))) {
                            total.merge(name(f), 1L, Long::sum);
                        }
                    }
                }
                threads.merge(
                        threadGroup(
                                e.getThread("sampledThread") == null
                                        ? "?"
                                        : e.getThread("sampledThread").getJavaName()),
                        1L,
                        Long::sum);
            }
            case "jdk.ObjectAllocationSample" -> {
                long weight = e.getLong("weight");
                allocated += weight;
                RecordedStackTrace stack = e.getStackTrace();
                if (stack != null) {
                    allocations.merge(firstOwnFrame(stack.getFrames()), weight, Long::sum);
                }
            }
            case "jdk.GarbageCollection" -> {
                pauses++;
                pauseTotal = pauseTotal.plus(e.getDuration("sumOfPauses"));
                if (e.getDuration("longestPause").compareTo(pauseMax) > 0) {
                    pauseMax = e.getDuration("longestPause");
                }
            }
            default -> {}
        }
    }

    private static String name(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName()
                + (f.isJavaFrame() ? "" : " [native]");
    }

    /** The allocating frame worth naming: the first one outside the JDK's collections and strings. */
    private static String firstOwnFrame(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
                return name(f);
            }
        }
        return frames.isEmpty() ? "?" : name(frames.get(0));
    }

    /** Thread names without their numbers, so a pool reads as one line. */
    static String threadGroup(String name) {
        return name == null ? "?" : name.replaceAll("\\d+", "#");
    }

    /** One line on the GC pauses of the recording's window (recorded in every run). */
    void printGc(PrintStream out) {
        out.printf(
                Locale.ROOT,
                "GC in the measured phase: %d collections, pauses %d ms in total, longest %.1f ms%n",
                pauses,
                pauseTotal.toMillis(),
                pauseMax.toNanos() / 1e6);
    }

    void print(PrintStream out, int top) {
        out.printf("CPU profile: %d execution samples (10 ms period per running thread)%n", samples);
        print(out, "  top frames (self)", self, samples, top);
        print(out, "  on the stack (total)", total, samples, top);
        print(out, "  threads", threads, samples, 15);
        if (allocated > 0) {
            print(out, "  allocation (sampled weight, by first non-JDK frame)", allocations, allocated, 12);
        }
        out.printf(
                Locale.ROOT,
                "  GC: %d collections, pauses %d ms in total, longest %.1f ms%n",
                pauses,
                pauseTotal.toMillis(),
                pauseMax.toNanos() / 1e6);
    }

    private static void print(PrintStream out, String title, Map<String, Long> counts, long whole, int top) {
        out.println(title + ":");
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(top)
                .forEach(e -> out.printf(
                        Locale.ROOT, "    %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, whole), e.getKey()));
    }
}
