package io.undercurrent.edge;

import java.util.Objects;

/**
 * A source database as the edge reaches it for snapshots. Must be the same database ingest reads
 * (or a replica of it), since snapshots are stitched to the change stream by transaction id.
 *
 * @param name     the source name, as in rules and subscriptions
 * @param jdbcUrl  e.g. {@code jdbc:postgresql://localhost:5432/app}
 * @param user     a user that may read the captured tables
 * @param password its password
 * @param poolSize most connections the edge opens for snapshots of this source
 * @param replicationSlot the slot ingest streams this source through, or null to skip the check.
 *                 A snapshot is only served once the slot exists: a change committed after the
 *                 snapshot but before the slot existed would never be streamed.
 */
public record SourceDatabase(String name, String jdbcUrl, String user, String password, int poolSize, String replicationSlot) {

    public SourceDatabase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        password = password == null ? "" : password;
    }

    @Override
    public String toString() {
        return "SourceDatabase[" + name + " " + user + "@" + jdbcUrl + "]";
    }
}
