package io.undercurrent.source.mongodb;

import io.undercurrent.query.ColumnType;
import io.undercurrent.query.TableSchema;
import io.undercurrent.query.spi.ValueCoercion;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bson.BsonDocument;
import org.bson.BsonValue;

/**
 * A collection's schema, from its validator's {@code $jsonSchema}: MongoDB collections have no
 * catalog, so the validator is the one place that says which fields exist and of which BSON type.
 * Each property becomes a column; the properties of a nested {@code object} become dotted columns
 * ({@code meta.team}) after the object's own column (kind JSON). The key is {@code _id}, first; when
 * the validator does not declare it, it is an ObjectId. A collection without a {@code $jsonSchema}
 * has the one column {@code _id}, of no comparable kind: it can be read whole and judged by rules,
 * but not filtered or ordered. The type mapping is in this module's README. Thread-safe.
 */
public final class MongoSchemas {

    /** The key of every collection. */
    public static final String ID = "_id";

    private MongoSchemas() {}

    /**
     * @param source    the source name
     * @param table     {@code database.collection}
     * @param validator the collection's {@code options.validator}, or null when it has none
     */
    public static TableSchema fromValidator(String source, String table, BsonDocument validator) {
        List<TableSchema.Column> columns = new ArrayList<>();
        BsonValue jsonSchema = validator == null ? null : validator.get("$jsonSchema");
        if (jsonSchema == null || !jsonSchema.isDocument()) {
            columns.add(new TableSchema.Column(ID, ColumnType.OTHER, "any"));
            return new TableSchema(source, table, columns, List.of(ID));
        }
        BsonDocument properties = properties(jsonSchema.asDocument());
        BsonValue id = properties.get(ID);
        columns.add(id != null && id.isDocument() ? column(ID, id.asDocument()) : objectId());
        properties.forEach((name, property) -> {
            if (!ID.equals(name) && property.isDocument()) {
                add(columns, "", name, property.asDocument());
            }
        });
        return new TableSchema(source, table, columns, List.of(ID));
    }

    private static TableSchema.Column objectId() {
        return new TableSchema.Column(ID, ColumnType.TEXT, ValueCoercion.OBJECT_ID);
    }

    private static void add(List<TableSchema.Column> columns, String prefix, String name, BsonDocument property) {
        if (name.isEmpty() || name.startsWith("$") || name.contains(".")) {
            return; // not addressable by a field path; MongoDB's own queries cannot name it either
        }
        TableSchema.Column column = column(prefix + name, property);
        columns.add(column);
        if (column.type() == ColumnType.JSON) {
            properties(property).forEach((child, childProperty) -> {
                if (childProperty.isDocument()) {
                    add(columns, column.name() + ".", child, childProperty.asDocument());
                }
            });
        }
    }

    private static BsonDocument properties(BsonDocument schema) {
        BsonValue properties = schema.get("properties");
        return properties != null && properties.isDocument() ? properties.asDocument() : new BsonDocument();
    }

    private static TableSchema.Column column(String name, BsonDocument property) {
        Set<String> types = types(property);
        String dbType = String.join("|", types);
        if (types.isEmpty()) {
            return new TableSchema.Column(name, ColumnType.OTHER, "any");
        }
        if (types.equals(Set.of("int")) || types.equals(Set.of("long")) || types.equals(Set.of("int", "long"))) {
            return new TableSchema.Column(name, ColumnType.INTEGER, dbType);
        }
        if (types.size() > 1) {
            // Mixed kinds (a number or a string...) have no one order the matcher and MongoDB share.
            return new TableSchema.Column(name, ColumnType.OTHER, dbType);
        }
        String type = types.iterator().next();
        if (type.equals("array")) {
            BsonValue items = property.get("items");
            ColumnType element = items != null && items.isDocument()
                    ? column(name, items.asDocument()).type()
                    : ColumnType.OTHER;
            return new TableSchema.Column(name, ColumnType.ARRAY, "array", element);
        }
        return new TableSchema.Column(name, kind(type), type);
    }

    /**
     * The BSON types a property allows, {@code null} left out (every field may be missing, which
     * reads as NULL anyway). JSON Schema's {@code type} is read where there is no {@code bsonType}.
     */
    private static Set<String> types(BsonDocument property) {
        BsonValue declared = property.containsKey("bsonType") ? property.get("bsonType") : property.get("type");
        Set<String> types = new LinkedHashSet<>();
        if (declared == null) {
            return types;
        }
        List<BsonValue> values = declared.isArray() ? declared.asArray().getValues() : List.of(declared);
        for (BsonValue v : values) {
            if (v.isString()) {
                String t = switch (v.asString().getValue()) {
                    case "boolean" -> "bool"; // JSON Schema's name
                    default -> v.asString().getValue();
                };
                if (!t.equals("null")) {
                    types.add(t);
                }
            }
        }
        return types;
    }

    private static ColumnType kind(String bsonType) {
        return switch (bsonType) {
            case "objectId", "string" -> ColumnType.TEXT;
            case "int", "long" -> ColumnType.INTEGER;
            case "double" -> ColumnType.FLOAT;
            case "decimal" -> ColumnType.DECIMAL;
            case "bool" -> ColumnType.BOOLEAN;
            case "date" -> ColumnType.TIMESTAMPTZ;
            case "object" -> ColumnType.JSON;
            // binData (its canonical form depends on the subtype), timestamp, regex, number (mixed
            // numeric types) and the rest: readable whole, testable with isNull only.
            default -> ColumnType.OTHER;
        };
    }
}
