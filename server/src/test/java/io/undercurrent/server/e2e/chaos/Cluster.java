package io.undercurrent.server.e2e.chaos;

import io.undercurrent.server.e2e.RoleEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The server processes a scenario runs against, each in its own JVM over one Kafka and one
 * PostgreSQL: either every role apart (ingest, router, two edges) or one process running them all.
 * Kills one of them and starts it again; says where clients may connect meanwhile.
 */
final class Cluster implements AutoCloseable {

    enum Layout {
        SPLIT,
        WHOLE
    }

    /**
     * Ingest commits its source offset every 10 s instead of every second, so that a SIGKILL makes it
     * publish again up to 10 s of changes (some 400 transactions at 40 a second), not at most one
     * second's: the replays clients must never see are many in every ingest or server fault.
     */
    private static final String SLOW_OFFSET_COMMITS = "UNDERCURRENT_INGEST_OFFSET_FLUSH_INTERVAL";

    private final Layout layout;
    private final List<RoleProcess> processes;
    private RoleProcess down;

    private Cluster(Layout layout, List<RoleProcess> processes) {
        this.layout = layout;
        this.processes = processes;
    }

    /**
     * Starts the processes of {@code layout} (in parallel: each waits for Kafka and the database, not
     * for the others) and returns once every one has printed its banner.
     */
    static Cluster start(Layout layout, RoleEnvironment.Infrastructure infra, Path logDir, Path jar) {
        List<RoleProcess> processes = new ArrayList<>();
        if (layout == Layout.SPLIT) {
            processes.add(new RoleProcess(
                    "ingest", "ingest", RoleEnvironment.of(infra, Map.of(SLOW_OFFSET_COMMITS, "10s")), logDir, jar));
            processes.add(new RoleProcess(
                    "router",
                    "router",
                    RoleEnvironment.of(infra, Map.of("UNDERCURRENT_ROUTER_ID", "r1")),
                    logDir,
                    jar));
            for (String edge : List.of("edge-a", "edge-b")) {
                processes.add(new RoleProcess(
                        edge, "edge", RoleEnvironment.of(infra, Map.of("UNDERCURRENT_EDGE_ID", edge)), logDir, jar));
            }
        } else {
            processes.add(new RoleProcess(
                    "server",
                    "all",
                    RoleEnvironment.of(
                            infra,
                            Map.of(
                                    "UNDERCURRENT_EDGE_ID",
                                    "whole",
                                    "UNDERCURRENT_ROUTER_ID",
                                    "whole",
                                    SLOW_OFFSET_COMMITS,
                                    "10s")),
                    logDir,
                    jar));
        }
        Cluster cluster = new Cluster(layout, processes);
        try {
            processes.forEach(RoleProcess::launch);
            processes.forEach(RoleProcess::awaitRunning);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    Layout layout() {
        return layout;
    }

    /** Whether this cluster can suffer {@code fault}. */
    boolean supports(Fault fault) {
        return fault == Fault.NONE || (layout == Layout.WHOLE) == (fault == Fault.SERVER);
    }

    /** SIGKILLs the process {@code fault} names ({@code pick} chooses one of the two edges). */
    RoleProcess kill(Fault fault, int pick) {
        if (!supports(fault) || fault == Fault.NONE) {
            throw new IllegalArgumentException(layout + " cluster cannot suffer fault " + fault);
        }
        RoleProcess victim = switch (fault) {
            case INGEST -> named("ingest");
            case ROUTER -> named("router");
            case EDGE -> named(pick % 2 == 0 ? "edge-a" : "edge-b");
            case SERVER -> named("server");
            case NONE -> throw new IllegalStateException();
        };
        victim.kill();
        down = victim;
        return victim;
    }

    /** The WebSocket URL of the edge {@link #kill} would kill for {@code fault} and {@code pick}, or null. */
    String victimUrl(Fault fault, int pick) {
        return switch (fault) {
            case EDGE -> named(pick % 2 == 0 ? "edge-a" : "edge-b").liveUrl();
            case SERVER -> named("server").liveUrl();
            default -> null;
        };
    }

    /** Starts the killed process again, with the same configuration, and waits for its banner. */
    void restart() {
        RoleProcess victim = Objects.requireNonNull(down, "nothing was killed");
        victim.start();
        down = null;
    }

    boolean degraded() {
        return down != null;
    }

    /** WebSocket URLs of the edges running now. */
    List<String> liveUrls() {
        List<String> urls = new ArrayList<>();
        for (RoleProcess p : processes) {
            String url = p.liveUrl();
            if (url != null) {
                urls.add(url);
            }
        }
        return urls;
    }

    /** {@code /health} URLs of the running processes that judge rows by rules (routers and edges). */
    List<String> rulesHealthUrls() {
        List<String> urls = new ArrayList<>();
        for (RoleProcess p : processes) {
            if (!p.name().equals("ingest") && p.healthUrl() != null) {
                urls.add(p.healthUrl());
            }
        }
        return urls;
    }

    List<RoleProcess> processes() {
        return processes;
    }

    private RoleProcess named(String name) {
        return processes.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            try {
                processes.get(i).close();
            } catch (RuntimeException e) {
                System.err.println("stopping " + processes.get(i).name() + " failed: " + e);
            }
        }
    }
}
