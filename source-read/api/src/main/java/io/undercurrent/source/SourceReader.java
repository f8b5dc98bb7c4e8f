package io.undercurrent.source;

import io.undercurrent.query.TableSchema;

/**
 * What an edge needs from one source database to serve live queries: a table's schema, the current
 * result of a live query read in one consistent snapshot, and where that snapshot stands in the
 * source's change stream, so the edge can stitch the stream onto it without a gap or a duplicate.
 *
 * <p>One instance per configured source; the server builds it for the source's kind (PostgreSQL
 * today; MySQL/MariaDB and MongoDB implement the same interface) and hands it to the edge, which
 * never sees a driver, a pool or SQL. Rules are not the reader's business: every row read passes
 * through the caller's {@link RowGate}, which applies read rules, field masks and projection.
 *
 * <p>Thread-safe. Every method may block on the database: call it from worker threads, never from
 * an IO thread. Failures are {@link SourceReadException}s whose type says whether a retry can help.
 * The creator of a reader closes it.
 */
public interface SourceReader extends AutoCloseable {

    /** The configured source name, as rules, subscriptions and change events spell it. */
    String source();

    /**
     * The table's full name, as rules, subscriptions and change events spell it, from the name a
     * client wrote, without asking the database: the edge checks the rules before it reveals whether
     * a table exists. PostgreSQL prepends {@code public.} when no schema is given; MySQL/MariaDB and
     * MongoDB prepend the source's database.
     */
    String qualify(String table);

    /**
     * The table's current schema: columns in declaration order with their canonical kinds, and the
     * primary key. The caller may cache it; a reader does not.
     *
     * @param table the table as clients name it, case-sensitive: {@code schema.table} (PostgreSQL),
     *              {@code database.table} (MySQL/MariaDB), {@code database.collection} (MongoDB)
     * @return the schema, with {@link TableSchema#source()} equal to {@link #source()}
     * @throws UnknownTableException      when no such table exists or the reader's user cannot see it
     * @throws SourceUnavailableException when the database cannot be reached or its catalog read
     */
    TableSchema schema(String table) throws SourceReadException;

    /**
     * Reads the current result of a live query (the first snapshot of a subscription, and every
     * re-read of a windowed query: both are the same read) in one consistent snapshot of the source.
     *
     * <p>The reader selects whole rows (every column: rules may judge columns the client did not ask
     * for) matching {@code request.query().where()} AND {@code request.pushdown()}, in the order
     * {@code query.orderBy()} then the primary key ascending, decodes each into canonical values and
     * hands it to {@code gate}. Rows the gate refuses are skipped and do not count towards
     * {@code query.limit()}; the read stops once {@code limit} rows were admitted. The query's
     * {@code fields} are the gate's business, not the reader's.
     *
     * <p>Before any row, in the same snapshot, the reader takes its {@link ReadPoint} and checks that
     * the source's changes are being captured (otherwise a change committed after the read might
     * never reach the stream, and the read could not be stitched).
     *
     * @param request the query, the schema it was checked against, an optional pushdown and the row cap
     * @param gate    judges each row; called on the calling thread, in result order. An unchecked
     *                exception it throws ends the read (the reader releases the snapshot) and reaches
     *                the caller unchanged
     * @return the admitted rows (as the gate returned them, in order) and the read's point
     * @throws NotCapturedYetException    the source's changes are not captured yet (retriable: ingest
     *                                    starts capturing within seconds of its first start)
     * @throws ResultTooLargeException    the gate admitted more than {@code request.maxRows()} rows
     * @throws UnknownTableException      the table is gone
     * @throws SourceUnavailableException the database failed or could not be reached
     * @throws io.undercurrent.query.InvalidQueryException when the query no longer fits the table
     */
    ReadResult read(ReadRequest request, RowGate gate) throws SourceReadException;

    /**
     * A read point again from its {@link ReadPoint#token()}, as a resume carries it: the same
     * answers to {@link ReadPoint#sees} as the point the token came from. Reads nothing.
     *
     * @throws IllegalArgumentException when the token is not one of this kind of source, or the
     *                                  source cannot read points back (then no query of it resumes)
     */
    default ReadPoint readPoint(String token) {
        throw new IllegalArgumentException("source " + source() + " cannot read its read points back");
    }

    /** Releases connections; reads in progress fail. Idempotent. */
    @Override
    void close();
}
