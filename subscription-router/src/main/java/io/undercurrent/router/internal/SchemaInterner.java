package io.undercurrent.router.internal;

import io.undercurrent.query.TableSchema;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One instance of each distinct table schema among the subscriptions a router holds. Every
 * subscription record carries its table's schema (routers read no database), and decoding gave each
 * its own copy: with 10,000 subscriptions of one table, 10,000 equal lists of columns. An entry
 * lasts while some subscription still holds that schema. Thread-confined, like the index.
 */
final class SchemaInterner {

    private final Map<TableSchema, WeakReference<TableSchema>> schemas = new WeakHashMap<>();

    /** The instance equal to {@code schema} already held, or {@code schema}, now held. */
    TableSchema intern(TableSchema schema) {
        if (schema == null) {
            return null;
        }
        WeakReference<TableSchema> held = schemas.get(schema);
        TableSchema same = held == null ? null : held.get();
        if (same != null) {
            return same;
        }
        schemas.put(schema, new WeakReference<>(schema));
        return schema;
    }

    int size() {
        return schemas.size();
    }
}
