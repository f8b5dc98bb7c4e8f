package io.undercurrent.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dotted columns of nested documents (MongoDB): matched, projected and masked through the nesting. */
class DottedColumnTest {

    private static final TableSchema ORDERS = new TableSchema(
            "mongo",
            "shop.orders",
            List.of(
                    new TableSchema.Column("_id", ColumnType.TEXT, "objectId"),
                    new TableSchema.Column("meta", ColumnType.JSON, "object"),
                    new TableSchema.Column("meta.team", ColumnType.TEXT, "string"),
                    new TableSchema.Column("meta.pay.salary", ColumnType.INTEGER, "long")),
            List.of("_id"));

    private static final String ID = "65a1b2c3d4e5f60718293a4b";

    private static Map<String, Object> order(String team, Long salary) {
        Map<String, Object> pay = new LinkedHashMap<>();
        pay.put("salary", salary);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("team", team);
        meta.put("pay", pay);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("_id", ID);
        row.put("meta", meta);
        return row;
    }

    private static RowMatcher.Truth eval(String where, Map<String, Object> row) throws Exception {
        LiveQuery query = new LiveQueryParser()
                .parse(
                        new ObjectMapper()
                                .readTree(("{'table':'shop.orders','where':" + where + "}").replace('\'', '"')),
                        ORDERS);
        return RowMatcher.compile(query.where(), ORDERS).evaluate(row);
    }

    @Test
    void aDottedColumnIsMatchedThroughNestedDocuments() throws Exception {
        assertThat(eval("{'meta.team':{'eq':'a'}}", order("a", 5L))).isEqualTo(RowMatcher.Truth.TRUE);
        assertThat(eval("{'meta.team':{'eq':'a'}}", order("b", 5L))).isEqualTo(RowMatcher.Truth.FALSE);
        assertThat(eval("{'meta.pay.salary':{'gt':4}}", order("b", 5L))).isEqualTo(RowMatcher.Truth.TRUE);
        assertThat(eval("{'meta.pay.salary':{'isNull':true}}", order("b", null)))
                .isEqualTo(RowMatcher.Truth.TRUE);
        assertThat(eval("{'meta.team':{'in':['x','a']}}", order("a", 1L))).isEqualTo(RowMatcher.Truth.TRUE);
    }

    @Test
    void aMissingOrNonDocumentStepReadsAsNull() throws Exception {
        Map<String, Object> scalarMeta = new LinkedHashMap<>(Map.of("_id", ID, "meta", "flat"));
        assertThat(eval("{'meta.team':{'eq':'a'}}", scalarMeta)).isEqualTo(RowMatcher.Truth.UNKNOWN);
        assertThat(eval("{'meta.team':{'isNull':true}}", Map.of("_id", ID))).isEqualTo(RowMatcher.Truth.TRUE);
        Map<String, Object> arrayMeta = new LinkedHashMap<>(Map.of("_id", ID, "meta", List.of(Map.of("team", "a"))));
        assertThat(eval("{'meta.team':{'eq':'a'}}", arrayMeta)).isEqualTo(RowMatcher.Truth.UNKNOWN);
    }

    @Test
    void aFlatEntryOfTheSameNameWins() {
        Map<String, Object> row = new LinkedHashMap<>(order("nested", 1L));
        row.put("meta.team", "flat");
        assertThat(ColumnPath.valueOf(row, "meta.team")).isEqualTo("flat");
        assertThat(ColumnPath.valueOf(order("nested", 1L), "meta.team")).isEqualTo("nested");
    }

    @Test
    void objectIdValuesMustBeObjectIdsAndAreLowerCased() throws Exception {
        assertThat(eval("{'_id':{'eq':'" + ID.toUpperCase() + "'}}", order("a", 1L)))
                .isEqualTo(RowMatcher.Truth.TRUE);
        assertThatThrownBy(() -> eval("{'_id':{'eq':'not-an-id'}}", order("a", 1L)))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("ObjectId");
    }

    @Test
    void fieldsProjectDottedColumnsUnderTheirDottedName() {
        Map<String, Object> view = RowView.project(order("a", 9L), c -> true, List.of("_id"), List.of("meta.team"));
        assertThat(view).containsExactly(Map.entry("_id", ID), Map.entry("meta.team", "a"));
    }

    @Test
    void aMaskOnANestedFieldHidesItInsideTheWholeDocument() {
        Map<String, Object> view =
                RowView.project(order("a", 9L), c -> !c.equals("meta.pay.salary"), List.of("_id"), null);
        assertThat(view.get("meta")).isEqualTo(Map.of("team", "a", "pay", Map.of()));
        assertThat(RowView.project(
                        order("a", 9L), c -> !c.equals("meta.pay.salary"), List.of("_id"), List.of("meta.pay")))
                .containsEntry("meta.pay", Map.of());
        Map<String, Object> all = RowView.project(order("a", 9L), c -> true, List.of("_id"), null);
        assertThat(all.get("meta")).isEqualTo(order("a", 9L).get("meta"));
    }
}
