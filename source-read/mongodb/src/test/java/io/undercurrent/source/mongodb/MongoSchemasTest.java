package io.undercurrent.source.mongodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.query.ColumnType;
import io.undercurrent.query.TableSchema;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

class MongoSchemasTest {

    @Test
    void propertiesBecomeColumnsAndNestedObjectsDottedColumns() {
        TableSchema schema = RandomDocuments.SCHEMA;
        assertThat(schema.primaryKey()).containsExactly("_id");
        assertThat(schema.columns())
                .extracting(TableSchema.Column::name)
                .containsExactly(
                        "_id", "i", "d", "dec", "s", "b", "t", "oid", "meta", "meta.team", "meta.level", "tags");
        assertThat(schema.columns())
                .extracting(TableSchema.Column::type)
                .containsExactly(
                        ColumnType.INTEGER,
                        ColumnType.INTEGER,
                        ColumnType.FLOAT,
                        ColumnType.DECIMAL,
                        ColumnType.TEXT,
                        ColumnType.BOOLEAN,
                        ColumnType.TIMESTAMPTZ,
                        ColumnType.TEXT,
                        ColumnType.JSON,
                        ColumnType.TEXT,
                        ColumnType.INTEGER,
                        ColumnType.ARRAY);
        assertThat(schema.column("oid").dbType()).isEqualTo("objectId");
        assertThat(schema.column("tags").elementType()).isEqualTo(ColumnType.TEXT);
    }

    @Test
    void anUndeclaredIdIsAnObjectIdAndMixedTypesCannotBeCompared() {
        TableSchema schema = MongoSchemas.fromValidator(
                "m",
                "db.c",
                BsonDocument.parse(
                        "{'$jsonSchema': {'properties': {'x': {'bsonType': ['string', 'int']}, 'y': {}, '$bad': {}}}}"));
        assertThat(schema.columns()).extracting(TableSchema.Column::name).containsExactly("_id", "x", "y");
        assertThat(schema.column("_id").dbType()).isEqualTo("objectId");
        assertThat(schema.column("x").type()).isEqualTo(ColumnType.OTHER);
        assertThat(schema.column("y").type()).isEqualTo(ColumnType.OTHER);
    }

    @Test
    void withoutAValidatorOnlyTheKeyIsKnown() {
        TableSchema schema = MongoSchemas.fromValidator("m", "db.c", null);
        assertThat(schema.columns()).extracting(TableSchema.Column::name).containsExactly("_id");
        assertThat(schema.column("_id").type()).isEqualTo(ColumnType.OTHER);
    }
}
