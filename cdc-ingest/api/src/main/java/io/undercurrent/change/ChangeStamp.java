package io.undercurrent.change;

/**
 * Where one change sits in its source's history, as its {@link ChangeEvent} carries it: what a
 * reader of the source needs to tell whether a consistent read already contains the change
 * (PostgreSQL decides by {@code txId}, MySQL/MariaDB by the GTID in {@code txId} or the binlog order,
 * MongoDB by the cluster time in {@code sourceOrder}). Immutable.
 *
 * @param txId        {@link ChangeEvent#txId()}, or null
 * @param position    {@link ChangeEvent#position()}, or null
 * @param sourceOrder {@link ChangeEvent#sourceOrder()} (comparable within one source), or null
 */
public record ChangeStamp(String txId, String position, String sourceOrder) {}
