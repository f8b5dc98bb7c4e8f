package io.undercurrent.edge.internal;

import io.undercurrent.query.TableSchema;
import io.undercurrent.source.SourceReadException;

/** Table schemas of the source databases: {@link SchemaCache}, or a map in a test. Thread-safe. */
interface SchemaSource {

    /**
     * @throws io.undercurrent.source.UnknownTableException when the table does not exist
     * @throws SourceReadException when the database cannot be reached
     */
    TableSchema get(String source, String table) throws SourceReadException;
}
