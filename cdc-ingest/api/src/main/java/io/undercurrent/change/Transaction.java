package io.undercurrent.change;

import java.util.Objects;

/**
 * Where one change sits inside its source transaction, so a later stage can deliver a transaction as a
 * whole: together with the transaction's {@link TransactionMarker} (which says how many changes it
 * holds, per table) a reader knows when it has seen every change of the transaction.
 *
 * <p>Taken from Debezium's transaction metadata. Immutable.
 *
 * @param id                  the transaction id as the source names it (opaque; Postgres {@code <xid>:<lsn>},
 *                            MySQL/MariaDB the GTID or {@code file:pos}, MongoDB {@code <lsid>:<txnNumber>})
 * @param totalOrder          1-based position of this change among all changes of the transaction
 * @param dataCollectionOrder 1-based position of this change among the transaction's changes to this table
 */
public record Transaction(String id, long totalOrder, long dataCollectionOrder) {

    public Transaction {
        Objects.requireNonNull(id, "id");
        if (totalOrder < 1 || dataCollectionOrder < 1) {
            throw new IllegalArgumentException("transaction " + id + ": orders start at 1, got total " + totalOrder
                    + " and per table " + dataCollectionOrder);
        }
    }
}
