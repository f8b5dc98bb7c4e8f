package io.undercurrent.source.postgres;

import io.undercurrent.source.jdbc.PooledRows;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A table with a column of each kind, filled with generated rows drawn from pools of edge
 * values (negative, zero, huge, NaN/infinities, equal instants in different zones, BC and
 * far-future dates, empty and unicode text, NULLs), for the integration tests.
 */
final class ItemsTable {
    static final String TABLE = "public.items";

    /** Constants for generated filters that the rows may not hold (other zone offsets, padded char(n), fractions against integers, NaN). */
    static final Map<String, List<Object>> EXTRA_CONSTANTS = Map.ofEntries(
            Map.entry("i2", List.of(2.5, -0.5, new BigDecimal("99999999999999999999"), 0)),
            Map.entry("i8", List.of(new BigDecimal("9223372036854775807.5"), -1.5, 3)),
            Map.entry("num", List.of(2, new BigDecimal("2.50"), new BigDecimal("1E+30"), "NaN", "Infinity", "12.5")),
            Map.entry("f4", List.of(0.1, 1.5, "NaN", "-Infinity", 0)),
            Map.entry("f8", List.of(0.1, 0.3, "NaN", 1e308, -0.0)),
            Map.entry("t", List.of("a", "", "b", "ab", "é", "\uFFFE")),
            Map.entry("ch", List.of("ab   ", "ab ", "ab", "", "zz  ")),
            Map.entry("ci", List.of("abc", "ABC", "aBc")),
            Map.entry("mood", List.of("happy", "ok", "sad", "m")),
            Map.entry("u", List.of("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "80000000-0000-0000-0000-000000000000")),
            Map.entry(
                    "tstz",
                    List.of(
                            "2024-05-01T14:00:00+02:00",
                            "2024-05-01T12:00:00Z",
                            "2024-05-01 11:59:59.999999Z",
                            "infinity",
                            "-0043-03-15T12:00:00Z",
                            "1970-01-01T05:30:00+05:30")),
            Map.entry("ts", List.of("2024-05-01T12:00:00", "2024-05-01 12:00:00.5", "-infinity")),
            Map.entry("d", List.of("2024-05-01", "0000-12-31", "-0001-01-01", "infinity")),
            Map.entry("tm", List.of("12:00", "24:00:00", "00:00:00.000001")),
            Map.entry("byt", List.of("AQI=", "", "3q2+7w==")));

    /** Column name, SQL type, and the pool of text inputs ({@code null} = SQL NULL). */
    record Spec(String name, String sqlType, List<String> pool) {}

    static final List<Spec> COLUMNS = List.of(
            spec("i2", "int2", "0", "1", "-1", "2", "7", "32767", "-32768"),
            spec("i4", "int4", "0", "1", "-1", "3", "100", "2147483647", "-2147483648"),
            spec("i8", "int8", "0", "1", "-1", "2", "1000", "9223372036854775807", "-9223372036854775808"),
            spec(
                    "num",
                    "numeric",
                    "0",
                    "0.0",
                    "1",
                    "1.00",
                    "-1",
                    "2.5",
                    "12.50",
                    "0.1",
                    "123456789012345678901234567890.123456789",
                    "-0.000000000000000001",
                    "1e30",
                    "NaN",
                    "Infinity",
                    "-Infinity"),
            spec("num_s", "numeric(12,2)", "0.00", "12.50", "-3.14", "9999999999.99", "1"),
            spec(
                    "f4",
                    "real",
                    "0",
                    "-0",
                    "0.1",
                    "1.5",
                    "-2.5",
                    "3.4028235e38",
                    "1e-45",
                    "NaN",
                    "Infinity",
                    "-Infinity"),
            spec(
                    "f8",
                    "double precision",
                    "0",
                    "-0",
                    "0.1",
                    "1.5",
                    "-2.5",
                    "1e308",
                    "5e-324",
                    "NaN",
                    "Infinity",
                    "-Infinity",
                    "0.30000000000000004",
                    "0.1"),
            spec("b", "boolean", "true", "false"),
            spec(
                    "t",
                    "text",
                    "",
                    "a",
                    "A",
                    "b",
                    "ab",
                    "ab ",
                    " a",
                    "a b",
                    "é",
                    "e\u0301",
                    "Ω",
                    "😀",
                    "\uFFFD",
                    "zz",
                    "O'Brien",
                    "日本",
                    "\"quoted\"",
                    "back\\slash"),
            spec("vc", "varchar(20)", "", "a", "B", "ab", "😀", "\uFFFD", "zz"),
            spec("ch", "char(5)", "ab", "ab   ", "", "a", "zz", "é", " x"),
            spec("ci", "citext", "abc", "ABC", "Abc", "b", ""),
            spec("mood", "mood", "sad", "ok", "happy"),
            spec(
                    "u",
                    "uuid",
                    "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                    "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12",
                    "00000000-0000-0000-0000-000000000000",
                    "ffffffff-ffff-ffff-ffff-ffffffffffff",
                    "7fffffff-0000-0000-0000-000000000000"),
            spec(
                    "tstz",
                    "timestamptz",
                    "2024-05-01 12:00:00Z",
                    "2024-05-01 14:00:00+02",
                    "2024-05-01 07:00:00-05",
                    "2024-05-01 12:00:00.000001Z",
                    "1970-01-01 00:00:00Z",
                    "1969-12-31 23:59:59.999999Z",
                    "2000-01-01 00:00:00+05:30",
                    "0044-03-15 12:00:00+00 BC",
                    "10000-01-01 00:00:00Z",
                    "294276-12-31 23:59:59.999999Z",
                    "infinity",
                    "-infinity"),
            spec(
                    "ts",
                    "timestamp",
                    "2024-05-01 12:00:00",
                    "2024-05-01 12:00:00.5",
                    "1999-12-31 23:59:59.999999",
                    "2000-01-01 00:00:00",
                    "0044-03-15 00:00:00 BC",
                    "infinity",
                    "-infinity"),
            spec(
                    "d",
                    "date",
                    "2024-05-01",
                    "2024-02-29",
                    "1970-01-01",
                    "0001-01-01",
                    "0001-12-31 BC",
                    "10000-01-01",
                    "infinity",
                    "-infinity"),
            spec("tm", "time", "00:00", "12:00:00", "12:00:00.000001", "23:59:59.999999", "24:00:00"),
            spec("js", "json", "{\"a\": 1}", "[1, 2.50]", "\"s\"", "null", "3"),
            spec("jsb", "jsonb", "{\"b\": [1, 2]}", "1", "\"x\"", "null", "{}"),
            spec("arr", "int4[]", "{1,2,3}", "{}", "{NULL,1}", "{{1,2},{3,4}}"),
            spec("tarr", "text[]", "{\"a b\",\"c\\\"d\",NULL,\"\"}", "{}", "{\"NULL\"}"),
            spec("tsarr", "timestamptz[]", "{\"2024-05-01 12:00:00+00\",\"0044-03-15 00:00:00+00 BC\",infinity,NULL}"),
            spec("byt", "bytea", "\\x", "\\x00ff", "\\x0102", "\\xdeadbeef"),
            spec("dom", "posint", "1", "5", "100"),
            spec("Odd \"Name\"", "text", "x", "y"));

    private ItemsTable() {}

    private static Spec spec(String name, String type, String... pool) {
        return new Spec(name, type, List.of(pool));
    }

    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS citext");
            s.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
            s.execute("CREATE DOMAIN posint AS int4 CHECK (VALUE > 0)");
            StringBuilder ddl = new StringBuilder("CREATE TABLE public.items (id int8 PRIMARY KEY");
            for (Spec col : COLUMNS) {
                ddl.append(", ").append(quote(col.name())).append(' ').append(col.sqlType());
            }
            s.execute(ddl.append(')').toString());
        }
    }

    /** Inserts {@code count} rows; each value is NULL with probability 1/6, else drawn from its pool. */
    static void fill(Connection c, int count, Random random) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO public.items VALUES (?");
        for (Spec col : COLUMNS) {
            sql.append(", ?::").append(col.sqlType());
        }
        PooledRows.insert(
                c, sql.append(')').toString(), COLUMNS.stream().map(Spec::pool).toList(), count, random);
    }

    static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** The column names, in table order, starting with the key. */
    static List<String> names() {
        List<String> names = new ArrayList<>();
        names.add("id");
        COLUMNS.forEach(c -> names.add(c.name()));
        return names;
    }
}
