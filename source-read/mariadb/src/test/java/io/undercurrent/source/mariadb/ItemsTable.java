package io.undercurrent.source.mariadb;

import io.undercurrent.source.jdbc.PooledRows;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A MariaDB table with a column of each kind, filled with generated rows drawn from pools of edge
 * values (limits of each integer type, unsigned 64-bit, 65-digit decimals, floats with no short
 * double, booleans stored as 2 and -1, text that default collations take as equal: case, accents,
 * trailing spaces; latin1 text; UUIDs MariaDB orders by swapped segments; years 0 and 9999; NULLs).
 */
final class ItemsTable {
    static final String TABLE = "app.items";

    /** Constants for generated filters that the rows may not hold (other cases and trailing spaces, fractions against integers, NaN, numbers past MariaDB's 65 digits, dates MariaDB cannot hold). */
    static final Map<String, List<Object>> EXTRA_CONSTANTS = Map.ofEntries(
            Map.entry("i1", List.of(2.5, -0.5, new BigDecimal("99999999999999999999"), 0, 128, -129)),
            Map.entry("i8", List.of(new BigDecimal("9223372036854775807.5"), -1.5, 3)),
            Map.entry(
                    "u8",
                    List.of(new BigDecimal("18446744073709551615"), new BigDecimal("18446744073709551616"), -1, 2.5)),
            Map.entry("yr", List.of(2024, 0, 1900.5)),
            Map.entry(
                    "num",
                    List.of(
                            2,
                            new BigDecimal("2.50"),
                            new BigDecimal("1E+30"),
                            new BigDecimal("1E+70"),
                            new BigDecimal("-1E+70"),
                            new BigDecimal("0.1000000000000000000000000000000000000000000001"),
                            new BigDecimal("-0.00000000010000000000000000000000000000000000001"),
                            "NaN",
                            "Infinity",
                            "-Infinity",
                            "12.5")),
            Map.entry(
                    "num_big",
                    List.of(
                            new BigDecimal("1E+64"),
                            new BigDecimal("1E+65"),
                            new BigDecimal("99999999999999999999999999999999999999999999999999999999999999999.5"),
                            new BigDecimal("0.5"),
                            new BigDecimal("-0.5"))),
            Map.entry(
                    "f4",
                    List.of(
                            0.1,
                            1.1,
                            1.5,
                            "NaN",
                            "-Infinity",
                            "Infinity",
                            0,
                            1.100000023841858,
                            3.4028235e38,
                            3.5e38,
                            1e-46,
                            16777216)),
            Map.entry("f8", List.of(0.1, 0.3, "NaN", 1e308, -0.0, "Infinity")),
            Map.entry("b", List.of(true, false)),
            Map.entry("t", List.of("a", "", "b", "ab", "é", "\uFFFE", "A", "a  ", "É", "e")),
            Map.entry("ch", List.of("ab   ", "ab ", "ab", "", "zz  ", "A")),
            Map.entry("lat", List.of("é", "E", "É", "ab", "ab ")),
            Map.entry("mood", List.of("happy", "ok", "sad", "m", "HAPPY")),
            Map.entry("u", List.of("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "80000000-0000-0000-0000-000000000000")),
            Map.entry(
                    "tstz",
                    List.of(
                            "2024-05-01T14:00:00+02:00",
                            "2024-05-01T12:00:00Z",
                            "2024-05-01 11:59:59.999999Z",
                            "infinity",
                            "-infinity",
                            "-0043-03-15T12:00:00Z",
                            "10000-01-01T00:00:00Z",
                            "1970-01-01T05:30:00+05:30")),
            Map.entry(
                    "ts",
                    List.of(
                            "2024-05-01T12:00:00",
                            "2024-05-01 12:00:00.5",
                            "-infinity",
                            "9999-12-31T23:59:59.999999",
                            "10000-01-01T00:00:00",
                            "0000-06-01T00:00:00")),
            Map.entry("ts0", List.of("2024-05-01T12:00:00.5", "2024-05-01T12:00:00.000001")),
            Map.entry("d", List.of("2024-05-01", "0000-12-31", "-0001-01-01", "infinity", "10000-01-01")),
            Map.entry("tm", List.of("12:00", "24:00:00", "00:00:00.000001")),
            Map.entry("byt", List.of("AQI=", "", "3q2+7w==", "AP8=")),
            Map.entry("bn", List.of("AP8=", "AP8AAA==")));

    /** Column name, SQL type, how a pool value is written ({@code ?} or e.g. {@code UNHEX(?)}), the pool. */
    record Spec(String name, String sqlType, String placeholder, List<String> pool) {}

    static final List<Spec> COLUMNS = List.of(
            spec("i1", "tinyint", "0", "1", "-1", "127", "-128", "2"),
            spec("i2", "smallint", "0", "1", "-1", "2", "7", "32767", "-32768"),
            spec("i4", "int", "0", "1", "-1", "3", "100", "2147483647", "-2147483648"),
            spec("i8", "bigint", "0", "1", "-1", "2", "1000", "9223372036854775807", "-9223372036854775808"),
            spec("u8", "bigint unsigned", "0", "1", "2", "9223372036854775808", "18446744073709551615"),
            spec("yr", "year", "1901", "2024", "2155", "0"),
            spec(
                    "num",
                    "decimal(40,10)",
                    "0",
                    "1",
                    "1.00",
                    "-1",
                    "2.5",
                    "12.50",
                    "0.1",
                    "123456789012345678901234567890.0123456789",
                    "-0.0000000001"),
            spec("num_s", "decimal(12,2)", "0.00", "12.50", "-3.14", "9999999999.99", "1"),
            spec(
                    "num_big",
                    "decimal(65,0)",
                    "0",
                    "1",
                    "-1",
                    "99999999999999999999999999999999999999999999999999999999999999999"),
            spec("f4", "float", "0", "-0", "0.1", "1.1", "1.5", "-2.5", "3.402823e38", "1e-40", "16777217"),
            spec("f8", "double", "0", "-0", "0.1", "1.5", "-2.5", "1e308", "5e-324", "0.30000000000000004"),
            spec("b", "boolean", "1", "0", "2", "-1"),
            spec(
                    "t",
                    "text",
                    "",
                    "a",
                    "A",
                    "a ",
                    "b",
                    "ab",
                    "ab ",
                    " a",
                    "a b",
                    "é",
                    "e\u0301",
                    "E",
                    "Ω",
                    "😀",
                    "\uFFFD",
                    "zz",
                    "O'Brien",
                    "日本",
                    "\"quoted\"",
                    "back\\slash"),
            spec("vc", "varchar(20)", "", "a", "B", "ab", "😀", "\uFFFD", "zz", "A "),
            spec("ch", "char(5)", "ab", "ab   ", "", "a", "A", "zz", "é", " x"),
            spec("lat", "varchar(10) character set latin1", "a", "A", "é", "e", "z", "ab "),
            spec("mood", "enum('sad','ok','happy')", "sad", "ok", "happy"),
            spec("tags", "set('a','b','c')", "a", "a,c", "b", ""),
            spec(
                    "u",
                    "uuid",
                    "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                    "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12",
                    "00000000-0000-0000-0000-000000000000",
                    "ffffffff-ffff-ffff-ffff-ffffffffffff",
                    "7fffffff-0000-1000-8000-000000000001",
                    "00000001-ffff-1000-8000-000000000000"),
            spec(
                    "tstz",
                    "timestamp(6) null",
                    "2024-05-01 12:00:00",
                    "2024-05-01 12:00:00.000001",
                    "1970-01-01 00:00:01",
                    "2000-01-01 00:00:00",
                    "2038-01-19 03:14:07.999999"),
            spec(
                    "ts",
                    "datetime(6)",
                    "2024-05-01 12:00:00",
                    "2024-05-01 12:00:00.5",
                    "1999-12-31 23:59:59.999999",
                    "0001-01-01 00:00:00",
                    "9999-12-31 23:59:59.999999"),
            spec("ts0", "datetime", "2024-05-01 12:00:00", "2024-05-01 12:00:01", "1000-01-01 00:00:00"),
            spec("d", "date", "2024-05-01", "2024-02-29", "1970-01-01", "0001-01-01", "0000-12-31", "9999-12-31"),
            spec("tm", "time(6)", "00:00", "12:00:00", "12:00:00.000001", "23:59:59.999999", "24:00:00"),
            spec("js", "json", "{\"a\": 1}", "[1, 2.50]", "\"s\"", "null", "3"),
            new Spec("byt", "varbinary(8)", "UNHEX(?)", List.of("", "00FF", "0102", "DEADBEEF")),
            new Spec("bn", "binary(4)", "UNHEX(?)", List.of("00FF", "00FF0000", "01020304")),
            spec("Odd `Name`", "text", "x", "y"));

    private ItemsTable() {}

    private static Spec spec(String name, String type, String... pool) {
        return new Spec(name, type, "?", List.of(pool));
    }

    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            StringBuilder ddl = new StringBuilder("CREATE TABLE app.items (id bigint PRIMARY KEY");
            for (Spec col : COLUMNS) {
                ddl.append(", ").append(quote(col.name())).append(' ').append(col.sqlType());
            }
            s.execute(ddl.append(") ENGINE=InnoDB").toString());
        }
    }

    /** Inserts {@code count} rows; each value is NULL with probability 1/6, else drawn from its pool. */
    static void fill(Connection c, int count, Random random) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO app.items VALUES (?");
        for (Spec col : COLUMNS) {
            sql.append(", ").append(col.placeholder());
        }
        try (Statement s = c.createStatement()) {
            s.execute("SET time_zone = '+00:00'");
        }
        PooledRows.insert(
                c, sql.append(')').toString(), COLUMNS.stream().map(Spec::pool).toList(), count, random);
    }

    static String quote(String name) {
        return '`' + name.replace("`", "``") + '`';
    }
}
