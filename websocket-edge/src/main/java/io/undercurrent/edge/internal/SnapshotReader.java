package io.undercurrent.edge.internal;

import io.undercurrent.edge.protocol.ErrorCode;
import io.undercurrent.edge.protocol.ProtocolException;
import io.undercurrent.edge.protocol.ServerFrames;
import io.undercurrent.query.Filter;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.RowView;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.rules.ReadPushdown;
import io.undercurrent.rules.Access;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import io.undercurrent.source.ReadRequest;
import io.undercurrent.source.ReadResult;
import io.undercurrent.source.ResultTooLargeException;
import io.undercurrent.source.RowGate;
import io.undercurrent.source.SourceReadException;
import io.undercurrent.source.SourceReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Reads a live query's current result for one subscriber through the source's {@link SourceReader}:
 * the subscriber's read rules, field masks and projection judge every row (the reader's
 * {@link RowGate}), and the part of the read rule the source can evaluate is pushed down
 * ({@link ReadPushdown}), so rows the subscriber may not read are mostly not fetched at all. An
 * initial result must fit in one connection's send buffer ({@code maxBytes}, the outbox bound): a
 * larger one could never be delivered, so it is refused with {@code limit_exceeded} as soon as the
 * rows admitted pass the bound. Thread-safe.
 */
final class SnapshotReader implements SnapshotSource {

    private final Map<String, SourceReader> readers;
    private final Clock clock;
    private final int maxRows;
    private final ServerFrames frames;
    private final long maxBytes;
    /**
     * Characters a snapshot's position may take besides its read point: the signed marks of up to 128
     * change partitions (PositionCodec), in base64.
     */
    static final int POSITION_ALLOWANCE = 8 * 1024;

    /** @param maxBytes the most bytes a snapshot frame may have: what one connection may have unsent */
    SnapshotReader(Map<String, SourceReader> readers, Clock clock, int maxRows, ServerFrames frames, long maxBytes) {
        this.readers = readers;
        this.clock = clock;
        this.maxRows = maxRows;
        this.frames = frames;
        this.maxBytes = maxBytes;
    }

    @Override
    public ReadResult read(
            TableRef table,
            LiveQuery query,
            TableSchema schema,
            Map<String, Object> auth,
            RuleSet rules,
            String queryId)
            throws ProtocolException, SourceReadException {
        // The rules may have changed since the query was admitted; the edge starts it over soon, but
        // this read must not order or filter by a column they now hide.
        String refused = QueryAccess.queryRefusal(rules, table, query, auth);
        if (refused != null) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, queryId, refused);
        }
        long now = clock.millis();
        // Only rows that can pass the read rule are fetched; every row is still judged by the gate.
        Filter pushdown =
                ReadPushdown.of(rules.readCondition(table, auth, now), schema).filter();
        // The frame around the rows, as EdgeSubscription writes it, counts against the bound too, with
        // room for its signed position (the read point, and a mark per change partition).
        long envelope = envelope(queryId, schema, "") + POSITION_ALLOWANCE;
        long[] bytes = {0};
        int[] admitted = {0};
        RowGate gate = row -> {
            Access access = rules.access(table, auth, row, now);
            if (!access.allowed()) {
                return null;
            }
            Map<String, Object> visible =
                    RowView.project(row, access::fieldVisible, schema.primaryKey(), query.fields());
            bytes[0] += frames.rowBytes(visible) + (admitted[0]++ == 0 ? 0 : 1);
            if (envelope + bytes[0] > maxBytes) {
                throw new TooLarge(admitted[0], bytes[0]);
            }
            return visible;
        };
        ReadResult result;
        try {
            result = reader(table, queryId).read(new ReadRequest(query, schema, pushdown, maxRows), gate);
        } catch (ResultTooLargeException e) {
            throw new ProtocolException(ErrorCode.LIMIT_EXCEEDED, queryId, e.getMessage());
        } catch (TooLarge e) {
            throw tooLarge(queryId, e.rows, e.bytes);
        }
        long total = envelope(queryId, schema, "")
                + POSITION_ALLOWANCE
                + result.point().token().length()
                + bytes[0];
        if (total > maxBytes) {
            throw tooLarge(queryId, result.rows().size(), bytes[0]);
        }
        return result;
    }

    private SourceReader reader(TableRef table, String queryId) throws ProtocolException {
        SourceReader reader = readers.get(table.source());
        if (reader == null) {
            throw new ProtocolException(
                    ErrorCode.UNKNOWN_TABLE, queryId, "no source named \"" + table.source() + "\" serves live queries");
        }
        return reader;
    }

    private long envelope(String queryId, TableSchema schema, String position) {
        return frames.snapshot(queryId, schema.primaryKey(), List.of(), position)
                .getBytes(StandardCharsets.UTF_8)
                .length;
    }

    private ProtocolException tooLarge(String queryId, int rows, long bytes) {
        return new ProtocolException(
                ErrorCode.LIMIT_EXCEEDED,
                queryId,
                "the initial result is larger than "
                        + maxBytes
                        + " bytes, the most a connection may have unsent (edge.max-pending-bytes): its first "
                        + rows + " rows alone are " + bytes
                        + " bytes; narrow the filter, ask for fewer fields or set a smaller limit");
    }

    /** Thrown by the gate to end a read whose admitted rows passed the byte bound. */
    private static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int rows;
        private final long bytes;

        TooLarge(int rows, long bytes) {
            super(null, null, false, false);
            this.rows = rows;
            this.bytes = bytes;
        }
    }
}
