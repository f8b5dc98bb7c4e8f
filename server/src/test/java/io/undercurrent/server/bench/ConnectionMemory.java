package io.undercurrent.server.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.UnixOperatingSystemMXBean;
import io.undercurrent.embedded.ChildJvm;
import io.undercurrent.server.ServerNode;
import io.undercurrent.server.config.ConfigLoader;
import io.undercurrent.server.config.Role;
import io.undercurrent.server.http.DevTokenHandler;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What connections cost the node's heap (bounded memory, guarantee 6): the embedded default runs in
 * this JVM, the clients in a child JVM ({@link LoadClients}), and the heap is measured after full
 * collections, before and with the clients connected.
 *
 * <ol>
 *   <li>{@code IDLE} WebSocket connections, each with one live query (an empty result), idle;</li>
 *   <li>{@code SLOW} consumers: each subscribes to the same query, whose initial result is
 *       {@code ROWS} rows of {@code ROW_BYTES}, and never reads it; the snapshots stay unsent in the
 *       node, bounded per connection by {@code edge.max-pending-bytes}.</li>
 * </ol>
 *
 * <pre>mvn -B -q -pl server -am -DskipTests package dependency:build-classpath \
 *     -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
 * ulimit -n 20000; java -Xmx6g -cp server/target/test-classes:server/target/classes:$(cat server/target/bench.classpath) \
 *     io.undercurrent.server.bench.ConnectionMemory [IDLE SLOW ROWS ROW_BYTES]</pre>
 *
 * <p>{@code -Dbench.heap-dump=DIR} also writes a heap dump per mode while its clients are connected.
 */
public final class ConnectionMemory {

    private static final Pattern READY = Pattern.compile("ready \\d+ \\d+");

    public static void main(String[] args) throws Exception {
        int idle = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int slow = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int rowBytes = args.length > 3 ? Integer.parseInt(args[3]) : 2_048;
        Path dir = Files.createTempDirectory("undercurrent-bench");
        ServerNode node = ServerNode.start(
                new ConfigLoader(Map.of(
                                "UNDERCURRENT_EMBEDDED_DATA_DIR", dir.toString(),
                                "UNDERCURRENT_EMBEDDED_POSTGRES_PORT", "0",
                                "UNDERCURRENT_EMBEDDED_KAFKA_PORT", "0",
                                "UNDERCURRENT_HTTP_PORT", "0",
                                // 10,000 clients need more than the default cap; idle ones must outlast the run.
                                "UNDERCURRENT_HTTP_MAX_CONNECTIONS", String.valueOf(Math.max(idle, slow) + 1_000),
                                "UNDERCURRENT_EDGE_IDLE_TIMEOUT", "1h",
                                "UNDERCURRENT_RULES_DIR", rulesDir()))
                        .load(null),
                Role.ALL,
                Clock.systemUTC());
        try {
            String url = node.http().address().replace("http://", "ws://") + "/v1/live";
            String token =
                    new DevTokenHandler(node.embedded().devSecret(), Clock.systemUTC()).sign("bench", "admin", 3600);
            seed(node, rows, rowBytes);
            System.out.printf("node up; %d file descriptors open before any client%n", openDescriptors());
            measure(node, url, token, "idle", idle, "idle-", "idle connections, one live query each (empty result)");
            measure(
                    node,
                    url,
                    token,
                    "slow",
                    slow,
                    "slow",
                    "slow consumers that never read a " + rows + " x " + rowBytes + " B initial result");
        } finally {
            node.close();
        }
        System.exit(0);
    }

    private static void measure(
            ServerNode node, String url, String token, String mode, int count, String owner, String what)
            throws Exception {
        long before = liveHeap();
        long started = System.nanoTime();
        ChildJvm.Options options = ChildJvm.Options.of(LoadClients.class)
                .withArgs(url, token, mode, String.valueOf(count), owner)
                .withJvmArgs("-Xmx1g");
        try (ChildJvm clients = ChildJvm.start(options)) {
            String ready = clients.awaitOutputLine(READY, Duration.ofMinutes(10));
            long connectedIn = (System.nanoTime() - started) / 1_000_000;
            long unread = Long.parseLong(ready.substring(ready.lastIndexOf(' ') + 1));
            long with = liveHeap();
            System.out.printf(
                    "%,d %s: heap %,d -> %,d bytes after full GC: %,d bytes per connection (connected and subscribed in %,d ms, "
                            + "%,d descriptors open)%n",
                    count, what, before, with, (with - before) / count, connectedIn, openDescriptors());
            if (unread > 0) {
                System.out.printf("    each slow consumer left %,d bytes of its snapshot unread%n", unread / count);
            }
            dumpHeap(mode);
        }
        try {
            Awaitility.await()
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> openConnections(node) == 0);
        } catch (ConditionTimeoutException e) {
            System.out.printf("    %,d connections still open after 2 minutes%n", openConnections(node));
        }
        System.out.printf("    clients gone: heap %,d bytes after full GC%n", liveHeap());
    }

    /**
     * With {@code -Dbench.heap-dump=DIR}, writes the live heap to {@code DIR/MODE.hprof} while the clients
     * are still connected, for finding what each connection retains (paths to GC roots).
     */
    private static void dumpHeap(String mode) throws IOException {
        String dir = System.getProperty("bench.heap-dump");
        if (dir == null) {
            return;
        }
        Path file = Path.of(dir, mode + ".hprof");
        Files.deleteIfExists(file);
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(file.toString(), true);
        System.out.printf("    heap dump with the clients connected: %s%n", file);
    }

    private static void seed(ServerNode node, int rows, int rowBytes) throws Exception {
        var app = node.config().sources().get("app");
        try (Connection db = DriverManager.getConnection(app.jdbcUrl(), app.user(), app.password());
                PreparedStatement insert =
                        db.prepareStatement("insert into todos(owner_id, title) values ('slow', ?)")) {
            for (int i = 0; i < rows; i++) {
                insert.setString(1, "x".repeat(rowBytes));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /**
     * Heap in use after full collections, so garbage does not count: collects until a collection frees
     * less than a megabyte (the heap has settled), rather than waiting a fixed time between them.
     */
    private static long liveHeap() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            System.gc();
            long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            boolean settled = used - now < 1_000_000;
            used = Math.min(used, now);
            if (settled && i > 0) {
                break;
            }
        }
        return used;
    }

    private static long openDescriptors() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getOpenFileDescriptorCount()
                : -1;
    }

    private static int openConnections(ServerNode node) {
        return (Integer) ((Map<?, ?>) node.http().status()).get("connections");
    }

    /** The project's rules folder, whether run from the project root or from server/. */
    private static String rulesDir() {
        Path here = Path.of("rules");
        return (Files.isDirectory(here) ? here : Path.of("..", "rules"))
                .toAbsolutePath()
                .normalize()
                .toString();
    }
}
