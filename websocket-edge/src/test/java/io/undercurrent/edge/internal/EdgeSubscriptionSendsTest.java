package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.undercurrent.bus.Delivery;
import io.undercurrent.bus.Delta;
import io.undercurrent.bus.DeltaOp;
import io.undercurrent.bus.SubscriptionId;
import io.undercurrent.edge.protocol.ServerFrames;
import io.undercurrent.query.ColumnType;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import io.undercurrent.rules.TableRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A subscription writes its frames to the connection without holding its monitor (a write can wait
 * on Undertow's IO thread, which may wait on the subscription), and still in order.
 */
@Timeout(20)
class EdgeSubscriptionSendsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SubscriptionId ID = new SubscriptionId("edge", "conn", "q1");
    private static final TableSchema SCHEMA = new TableSchema(
            "app",
            "public.todos",
            List.of(
                    new TableSchema.Column("id", ColumnType.INTEGER, "int8"),
                    new TableSchema.Column("title", ColumnType.TEXT, "text")),
            List.of("id"));

    private final List<String> written = new CopyOnWriteArrayList<>();
    private final CountDownLatch writing = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean blockFirstWrite;
    private EdgeSubscription sub;

    private boolean write(String frame) {
        if (Thread.holdsLock(sub)) {
            throw new AssertionError("a frame was written while the subscription's monitor was held: " + frame);
        }
        if (blockFirstWrite && written.isEmpty()) {
            writing.countDown();
            try {
                release.await(); // a socket write that waits (on the IO thread, a full buffer)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            written.add(JSON.readTree(frame).path("type").asText());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return true;
    }

    private EdgeSubscription subscription() {
        return new EdgeSubscription(
                ID,
                new LiveQuery("app", "public.todos", null, null, null, null),
                SCHEMA,
                new TableRef("app", "public.todos"),
                JSON.createObjectNode(),
                this::write,
                new ServerFrames(),
                10,
                Map.of("sub", "alice"),
                "v1",
                0);
    }

    private static Delivery.Changes change(long generation, long offset, long id) {
        Delta delta = new Delta(DeltaOp.ADDED, Map.of("id", id), Map.of("id", id, "title", "t"), null);
        return new Delivery.Changes(
                "app",
                0,
                offset,
                Long.toString(offset),
                "lsn:" + offset,
                1000 + offset,
                0,
                List.of(new Delivery.Target(ID, generation, "v1", List.of(delta))));
    }

    @Test
    void aWriteThatWaitsHoldsNoMonitorAndLaterFramesFollowItInOrder() throws Exception {
        sub = subscription();
        sub.onRegistered(new Delivery.Registered(ID, sub.generation(), "router", "v1", List.of(0), 1));
        blockFirstWrite = true;
        CompletableFuture<Boolean> snapshot = CompletableFuture.supplyAsync(
                () -> sub.snapshotTaken(sub.generation(), List.of(), TestPoints.xids("1:1:")));
        assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();

        // the snapshot's write waits; the subscription answers meanwhile, and takes more changes
        CompletableFuture<Long> generation = CompletableFuture.supplyAsync(sub::generation);
        assertThat(generation.get(5, TimeUnit.SECONDS)).isEqualTo(1L);
        CompletableFuture<Void> changes = CompletableFuture.runAsync(() -> {
            Delivery.Changes c = change(sub.generation(), 1, 7);
            sub.onChanges(c, c.targets().get(0));
            sub.flush();
        });
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sub.heldRows() == 1);
        assertThat(written).as("the changes wait behind the snapshot").isEmpty();

        release.countDown();
        snapshot.get(5, TimeUnit.SECONDS);
        changes.get(5, TimeUnit.SECONDS);
        assertThat(written).containsExactly("snapshot", "changes");
    }

    @Test
    void noFrameQueuedBeforeTheEndIsWrittenAfterIt() throws Exception {
        sub = subscription();
        sub.onRegistered(new Delivery.Registered(ID, sub.generation(), "router", "v1", List.of(0), 1));
        sub.snapshotTaken(sub.generation(), List.of(), TestPoints.xids("1:1:"));
        assertThat(sub.close()).isTrue();
        sub.awaitWritten();
        written.add("unsubscribed");
        Delivery.Changes late = change(sub.generation(), 1, 7);
        sub.onChanges(late, late.targets().get(0));
        sub.flush();
        assertThat(sub.restart("rules changed", Map.of("sub", "alice"), "v2", 0))
                .isNull();
        assertThat(written).containsExactly("snapshot", "unsubscribed");
    }
}
