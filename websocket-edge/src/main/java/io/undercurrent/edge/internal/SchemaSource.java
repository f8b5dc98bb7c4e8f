package io.undercurrent.edge.internal;

import io.undercurrent.router.query.TableSchema;
import java.sql.SQLException;

/** Table schemas of the source databases: {@link SchemaCache}, or a map in a test. Thread-safe. */
interface SchemaSource {

    /**
     * @throws io.undercurrent.router.query.UnknownTableException when the table does not exist
     * @throws SQLException when the database cannot be reached
     */
    TableSchema get(String source, String table) throws SQLException;
}
