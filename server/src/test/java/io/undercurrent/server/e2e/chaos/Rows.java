package io.undercurrent.server.e2e.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Rows as canonical Java values (whole numbers as Long), so a row from a frame and one from JDBC compare equal. */
final class Rows {

    private Rows() {}

    static Map<String, Object> fromJson(JsonNode row) {
        Map<String, Object> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = row.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            out.put(f.getKey(), value(f.getValue()));
        }
        return out;
    }

    private static Object value(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.asLong();
        }
        if (v.isNumber()) {
            return v.decimalValue().stripTrailingZeros();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isTextual()) {
            return v.asText();
        }
        return v.toString();
    }

    /** The current row of {@code rs}, every column of the chaos table. */
    static Map<String, Object> fromJdbc(ResultSet rs) throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String column : ChaosTable.COLUMNS) {
            Object value = rs.getObject(column);
            if (value instanceof Integer || value instanceof Short) {
                value = ((Number) value).longValue();
            } else if (value instanceof BigDecimal d) {
                value = d.stripTrailingZeros();
            }
            out.put(column, value);
        }
        return out;
    }

    static long key(JsonNode keyOrRow) {
        return keyOrRow.path("id").asLong();
    }
}
