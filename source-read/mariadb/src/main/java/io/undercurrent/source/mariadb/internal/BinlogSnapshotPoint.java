package io.undercurrent.source.mariadb.internal;

import io.undercurrent.change.ChangeStamp;
import io.undercurrent.source.ReadPoint;

/**
 * Which transactions a MariaDB consistent snapshot contains, from the binlog coordinates
 * ({@code binlog_snapshot_file}, {@code binlog_snapshot_position}) that MariaDB reports for a
 * {@code START TRANSACTION WITH CONSISTENT SNAPSHOT}: the end of the last transaction the snapshot
 * contains. The binlog holds every transaction whole and in commit order, so a transaction is in the
 * snapshot exactly when it lies before that point, and any position inside it says so: its start
 * (what ingest's {@code sourceOrder} carries), any of its events, any row of a multi-row event. A
 * change event's row index therefore plays no part; the whole transaction is in, or out.
 *
 * <p>Coordinates are one server's: a change read from another server's binlog (a replica, or after a
 * failover) cannot be placed and the stream must be subscribed again. Immutable and thread-safe.
 */
public final class BinlogSnapshotPoint implements ReadPoint {

    private final String file;
    private final long fileIndex;
    private final long position;

    private BinlogSnapshotPoint(String file, long fileIndex, long position) {
        this.file = file;
        this.fileIndex = fileIndex;
        this.position = position;
    }

    /**
     * @param file     {@code binlog_snapshot_file}, e.g. {@code ./mariadb-bin.000003}
     * @param position {@code binlog_snapshot_position}
     * @throws IllegalArgumentException when the file name has no numeric index after its last dot
     */
    public static BinlogSnapshotPoint of(String file, long position) {
        int dot = file.lastIndexOf('.');
        if (dot < 0 || dot == file.length() - 1) {
            throw new IllegalArgumentException("binlog file name without an index: " + file);
        }
        return new BinlogSnapshotPoint(file, Long.parseLong(file.substring(dot + 1)), position);
    }

    /**
     * Decides by the change's {@code sourceOrder} ({@code binlog:<file index>:<position>:<event>:<row>},
     * hex): the file index and the position where its transaction starts. A stamp without one is not
     * seen (the edge then applies the change, which held rows make harmless).
     */
    @Override
    public boolean sees(ChangeStamp change) {
        String order = change.sourceOrder();
        if (order == null || !order.startsWith("binlog:")) {
            return false;
        }
        String[] parts = order.split(":");
        if (parts.length < 3) {
            return false;
        }
        try {
            return sees(Long.parseUnsignedLong(parts[1], 16), Long.parseUnsignedLong(parts[2], 16));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** True when a transaction starting at ({@code changeFileIndex}, {@code changePosition}) is in the snapshot. */
    public boolean sees(long changeFileIndex, long changePosition) {
        if (changeFileIndex != fileIndex) {
            return changeFileIndex < fileIndex;
        }
        return changePosition < position;
    }

    /** {@code binlog:<file>:<position>}. */
    @Override
    public String token() {
        return "binlog:" + file + ":" + position;
    }

    @Override
    public String toString() {
        return token();
    }
}
