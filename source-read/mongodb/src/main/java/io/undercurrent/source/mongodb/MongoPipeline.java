package io.undercurrent.source.mongodb;

import io.undercurrent.query.ColumnType;
import io.undercurrent.query.Filter;
import io.undercurrent.query.LiveQuery;
import io.undercurrent.query.TableSchema;
import java.util.ArrayList;
import java.util.List;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonNull;
import org.bson.BsonString;

/**
 * The aggregation pipeline of one read: {@code $match} on the translated filter, then the order the
 * matcher and PostgreSQL use, which is not MongoDB's: MongoDB sorts missing and null fields first
 * ascending and NaN below every number; the language sorts NULLs last ascending (first descending)
 * and NaN above every number. So the pipeline adds, per ordered field, whether it is null (and for
 * numbers whether it is NaN) as helper fields ({@value #HELPER}{@code n<i>}, {@value #HELPER}{@code nan<i>}),
 * sorts by them before the field, then by {@code _id}, and removes them again. Strings sort by their
 * bytes (the read uses the {@code simple} collation, whatever the collection's default), which is the
 * code-point order the matcher uses. Thread-safe.
 */
public final class MongoPipeline {

    /** The prefix of the helper fields; they never reach a row. */
    public static final String HELPER = "__undercurrent_sort_";

    private MongoPipeline() {}

    /**
     * @param where the query's {@code where} AND the read's pushdown
     */
    public static List<BsonDocument> of(LiveQuery query, Filter where, TableSchema schema) {
        List<BsonDocument> stages = new ArrayList<>();
        BsonDocument match = new MongoFilters(schema).filter(where);
        if (!match.isEmpty()) {
            stages.add(new BsonDocument("$match", match));
        }
        BsonDocument helpers = new BsonDocument();
        BsonDocument sort = new BsonDocument();
        boolean byId = false;
        for (int i = 0; i < query.orderBy().size(); i++) {
            LiveQuery.Order order = query.orderBy().get(i);
            String field = order.column();
            BsonInt32 direction = new BsonInt32(order.direction() == LiveQuery.Direction.DESC ? -1 : 1);
            String isNull = HELPER + "n" + i;
            // {$ifNull: ["$f", null]} turns a missing field into null, which $eq then finds.
            helpers.put(
                    isNull,
                    new BsonDocument(
                            "$eq",
                            new BsonArray(List.of(
                                    new BsonDocument(
                                            "$ifNull",
                                            new BsonArray(List.of(new BsonString("$" + field), BsonNull.VALUE))),
                                    BsonNull.VALUE))));
            sort.put(isNull, direction);
            TableSchema.Column column = schema.column(field);
            if (column != null && (column.type() == ColumnType.FLOAT || column.type() == ColumnType.DECIMAL)) {
                String isNaN = HELPER + "nan" + i;
                helpers.put(
                        isNaN,
                        new BsonDocument(
                                "$eq",
                                new BsonArray(List.of(new BsonString("$" + field), new BsonDouble(Double.NaN)))));
                sort.put(isNaN, direction);
            }
            sort.put(field, direction);
            byId |= field.equals(MongoSchemas.ID);
        }
        if (!byId) {
            sort.put(MongoSchemas.ID, new BsonInt32(1));
        }
        if (!helpers.isEmpty()) {
            stages.add(new BsonDocument("$addFields", helpers));
        }
        stages.add(new BsonDocument("$sort", sort));
        if (!helpers.isEmpty()) {
            stages.add(new BsonDocument("$project", projectAway(helpers)));
        }
        return stages;
    }

    private static BsonDocument projectAway(BsonDocument helpers) {
        BsonDocument project = new BsonDocument();
        helpers.keySet().forEach(name -> project.put(name, new BsonInt32(0)));
        return project;
    }
}
