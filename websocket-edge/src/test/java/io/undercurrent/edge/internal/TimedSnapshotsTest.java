package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undercurrent.edge.EdgeObserver;
import io.undercurrent.edge.protocol.ErrorCode;
import io.undercurrent.edge.protocol.ProtocolException;
import io.undercurrent.rules.TableRef;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class TimedSnapshotsTest {

    private final List<String> heard = new CopyOnWriteArrayList<>();
    private final EdgeObserver observer = new EdgeObserver() {
        @Override
        public void snapshotRead(String source, Outcome outcome, long nanos) {
            assertThat(nanos).isNotNegative();
            heard.add(source + " " + outcome.label());
        }

        @Override
        public void changeWritten(long committedAtMs, long writtenAtMs) {}
    };

    private TimedSnapshots timed(SnapshotSource delegate) {
        return new TimedSnapshots(delegate, Set.of("app"), observer);
    }

    @Test
    void eachReadIsReportedWithHowItEnded() throws Exception {
        timed((table, query, schema, auth, rules, id) -> null)
                .read(new TableRef("app", "public.todos"), null, null, null, null, "q");
        assertThatThrownBy(() -> timed((table, query, schema, auth, rules, id) -> {
                            throw new ProtocolException(ErrorCode.LIMIT_EXCEEDED, id, "too large");
                        })
                        .read(new TableRef("app", "public.todos"), null, null, null, null, "q"))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> timed((table, query, schema, auth, rules, id) -> {
                            throw new IllegalStateException("connection refused");
                        })
                        .read(new TableRef("app", "public.todos"), null, null, null, null, "q"))
                .isInstanceOf(IllegalStateException.class);
        assertThat(heard).containsExactly("app ok", "app refused", "app failed");
    }

    /** The source name comes from the client: one the edge does not serve must not become a label. */
    @Test
    void aSourceTheEdgeDoesNotServeIsNotReported() throws Exception {
        assertThatThrownBy(() -> timed((table, query, schema, auth, rules, id) -> {
                            throw new ProtocolException(ErrorCode.UNKNOWN_TABLE, id, "no source");
                        })
                        .read(new TableRef("made-up-by-a-client", "public.todos"), null, null, null, null, "q"))
                .isInstanceOf(ProtocolException.class);
        assertThat(heard).isEmpty();
    }
}
