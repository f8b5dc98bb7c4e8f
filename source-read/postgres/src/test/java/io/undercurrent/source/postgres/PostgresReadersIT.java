package io.undercurrent.source.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undercurrent.query.TableSchema;
import io.undercurrent.query.TableSchema.Column;
import io.undercurrent.source.UnknownTableException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PostgresSchemaReader and JdbcRowReader against a real PostgreSQL: types, keys, canonical value forms. */
class PostgresReadersIT {
    private static EmbeddedPostgres postgres;
    private static Connection connection;
    private static TableSchema schema;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        connection = postgres.getPostgresDatabase().getConnection();
        ItemsTable.create(connection);
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE public.pairs (b text, a int4, note text, PRIMARY KEY (a, b))");
            s.execute("CREATE VIEW public.pair_view AS SELECT a, note FROM public.pairs");
            s.execute("CREATE SCHEMA \"Odd.Schema\"");
        }
        schema = new PostgresSchemaReader("app").read(connection, ItemsTable.TABLE);
    }

    @AfterAll
    static void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void mapsEachPostgresTypeToItsKind() {
        assertThat(schema.source()).isEqualTo("app");
        assertThat(schema.table()).isEqualTo("public.items");
        assertThat(schema.primaryKey()).containsExactly("id");
        assertThat(schema.columns()).extracting(Column::name).containsExactlyElementsOf(ItemsTable.names());
        Map<String, String> kinds = new LinkedHashMap<>();
        schema.columns()
                .forEach(c -> kinds.put(
                        c.name(),
                        c.type() + " " + c.dbType() + (c.elementType() == null ? "" : " of " + c.elementType())));
        assertThat(kinds)
                .containsExactly(
                        Map.entry("id", "INTEGER int8"),
                        Map.entry("i2", "INTEGER int2"),
                        Map.entry("i4", "INTEGER int4"),
                        Map.entry("i8", "INTEGER int8"),
                        Map.entry("num", "DECIMAL numeric"),
                        Map.entry("num_s", "DECIMAL numeric"),
                        Map.entry("f4", "FLOAT float4"),
                        Map.entry("f8", "FLOAT float8"),
                        Map.entry("b", "BOOLEAN bool"),
                        Map.entry("t", "TEXT text"),
                        Map.entry("vc", "TEXT varchar"),
                        Map.entry("ch", "TEXT bpchar"),
                        Map.entry("ci", "TEXT citext"),
                        Map.entry("mood", "TEXT mood"),
                        Map.entry("u", "UUID uuid"),
                        Map.entry("tstz", "TIMESTAMPTZ timestamptz"),
                        Map.entry("ts", "TIMESTAMP timestamp"),
                        Map.entry("d", "DATE date"),
                        Map.entry("tm", "TIME time"),
                        Map.entry("js", "JSON json"),
                        Map.entry("jsb", "JSON jsonb"),
                        Map.entry("arr", "ARRAY _int4 of INTEGER"),
                        Map.entry("tarr", "ARRAY _text of TEXT"),
                        Map.entry("tsarr", "ARRAY _timestamptz of TIMESTAMPTZ"),
                        Map.entry("byt", "BYTES bytea"),
                        Map.entry("dom", "INTEGER int4"),
                        Map.entry("Odd \"Name\"", "TEXT text"));
    }

    @Test
    void readsCompositeKeysInKeyOrderAndViewsWithout() throws Exception {
        PostgresSchemaReader reader = new PostgresSchemaReader(null);
        assertThat(reader.read(connection, "public.pairs").primaryKey()).containsExactly("a", "b");
        assertThat(reader.read(connection, "pairs").table()).isEqualTo("public.pairs");
        TableSchema view = reader.read(connection, "public.pair_view");
        assertThat(view.primaryKey()).isEmpty();
        assertThat(view.columns()).extracting(Column::name).containsExactly("a", "note");
    }

    @Test
    void unknownTablesAreNamedInTheError() {
        PostgresSchemaReader reader = new PostgresSchemaReader("app");
        assertThatThrownBy(() -> reader.read(connection, "public.nope"))
                .isInstanceOf(UnknownTableException.class)
                .hasMessageStartingWith("table \"public.nope\" not found in source \"app\"");
        assertThatThrownBy(() -> reader.read(connection, "public.ITEMS")).isInstanceOf(UnknownTableException.class);
        assertThatThrownBy(() -> reader.read(connection, "Odd.Schema.items")).isInstanceOf(UnknownTableException.class);
    }

    @Test
    void readsEachTypeInItsCanonicalForm() throws Exception {
        Map<String, Object> row =
                insertAndRead("1, 32767, -2147483648, 9223372036854775807, '12.50', '-0.000000000000000001', '0.1', "
                        + "'0.30000000000000004', true, '', 'ab ', 'ab', 'AbC', 'happy', "
                        + "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '2024-05-01 14:00:00.123456+02', "
                        + "'2024-05-01 12:00:00.5', '2024-02-29', '23:59:59.999999', '{\"a\": [1, 2.50, \"x\", null]}', "
                        + "'{\"z\": 1, \"a\": {}}', '{{1,NULL},{3,4}}', '{\"a b\",\"c\\\"d\",NULL,\"NULL\",\"\"}', "
                        + "'{\"2024-05-01 12:00:00+00\",NULL}', '\\x00ff10', 5, 'é😀'");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", 1L);
        expected.put("i2", 32767L);
        expected.put("i4", -2147483648L);
        expected.put("i8", Long.MAX_VALUE);
        expected.put("num", new BigDecimal("12.50"));
        expected.put("num_s", new BigDecimal("0.00"));
        expected.put("f4", (double) 0.1f);
        expected.put("f8", 0.30000000000000004);
        expected.put("b", true);
        expected.put("t", "");
        expected.put("vc", "ab ");
        expected.put("ch", "ab   ");
        expected.put("ci", "AbC");
        expected.put("mood", "happy");
        expected.put("u", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
        expected.put("tstz", "2024-05-01T12:00:00.123456Z");
        expected.put("ts", "2024-05-01T12:00:00.500000");
        expected.put("d", "2024-02-29");
        expected.put("tm", "23:59:59.999999");
        expected.put("js", Map.of("a", Arrays.asList(1L, new BigDecimal("2.50"), "x", null)));
        expected.put("jsb", Map.of("z", 1L, "a", Map.of()));
        expected.put("arr", List.of(Arrays.asList(1L, null), List.of(3L, 4L)));
        expected.put("tarr", Arrays.asList("a b", "c\"d", null, "NULL", ""));
        expected.put("tsarr", Arrays.asList("2024-05-01T12:00:00.000000Z", null));
        expected.put("byt", "AP8Q");
        expected.put("dom", 5L);
        expected.put("Odd \"Name\"", "é😀");
        assertThat(row).containsExactlyEntriesOf(expected);
        assertThat(row.get("f8")).isInstanceOf(Double.class);
        assertThat(row.get("num")).isInstanceOf(BigDecimal.class);
    }

    @Test
    void readsSpecialValuesAndTheEdgesOfTheCalendar() throws Exception {
        Map<String, Object> row = insertAndRead(
                "2, NULL, NULL, NULL, 'NaN', NULL, 'Infinity', '-Infinity', NULL, NULL, NULL, NULL, NULL, NULL, "
                        + "NULL, '0044-03-15 12:00:00+00 BC', '10000-01-01 00:00:00', '0001-12-31 BC', '24:00:00', "
                        + "'null', NULL, '{}', '{}', '{infinity,\"0044-03-15 10:00:00-02 BC\"}', '\\x', NULL, NULL");
        assertThat(row.get("num")).isEqualTo("NaN");
        assertThat(row.get("f4")).isEqualTo("Infinity");
        assertThat(row.get("f8")).isEqualTo("-Infinity");
        assertThat(row.get("tstz")).isEqualTo("-0043-03-15T12:00:00.000000Z");
        assertThat(row.get("ts")).isEqualTo("+10000-01-01T00:00:00.000000");
        assertThat(row.get("d")).isEqualTo("0000-12-31");
        assertThat(row.get("tm")).isEqualTo("24:00:00.000000");
        assertThat(row.get("js")).isNull();
        assertThat(row.get("arr")).isEqualTo(List.of());
        assertThat(row.get("tsarr")).isEqualTo(List.of("infinity", "-0043-03-15T12:00:00.000000Z"));
        assertThat(row.get("byt")).isEqualTo("");
        assertThat(row).containsEntry("i2", null).containsEntry("ch", null).containsEntry("jsb", null);

        Map<String, Object> infinite =
                insertAndRead("3" + ", NULL".repeat(14) + ", 'infinity', '-infinity', 'infinity'" + ", NULL".repeat(9));
        assertThat(infinite.get("tstz")).isEqualTo("infinity");
        assertThat(infinite.get("ts")).isEqualTo("-infinity");
        assertThat(infinite.get("d")).isEqualTo("infinity");
    }

    private static Map<String, Object> insertAndRead(String values) throws Exception {
        long id;
        try (Statement s = connection.createStatement()) {
            s.execute("INSERT INTO public.items VALUES (" + values + ") ");
        }
        id = Long.parseLong(values.substring(0, values.indexOf(',')));
        try (PreparedStatement s = connection.prepareStatement("SELECT * FROM public.items WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return new JdbcRowReader(schema).read(rs);
            }
        }
    }
}
