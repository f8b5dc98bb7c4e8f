package io.undercurrent.ingest;

/**
 * The databases ingest can capture, each through its own replication log. What each needs from the
 * database is in the module README ("Setting up your database").
 */
public enum SourceKind {
    /** PostgreSQL 10+ through logical replication ({@code pgoutput}). */
    POSTGRES(5432),
    /** MySQL 8 through the binlog (ROW format, FULL row image). */
    MYSQL(3306),
    /** MariaDB 10.6+ through the binlog (ROW format, FULL row image). */
    MARIADB(3306),
    /** MongoDB 6+ replica set or sharded cluster through change streams; addressed by a connection string. */
    MONGODB(27017);

    private final int defaultPort;

    SourceKind(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    /** The port the database listens on unless configured otherwise. */
    public int defaultPort() {
        return defaultPort;
    }

    /** True for the databases read through a MySQL-style binlog, which need a schema history. */
    public boolean readsBinlog() {
        return this == MYSQL || this == MARIADB;
    }
}
