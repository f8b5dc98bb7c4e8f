package io.undercurrent.query;

import static io.undercurrent.query.Schemas.TODOS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undercurrent.query.RowMatcher.Truth;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowMatcherTest {

    private static Truth eval(String where, Object... keyValues) {
        Map<String, Object> row = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            row.put((String) keyValues[i], keyValues[i + 1]);
        }
        return RowMatcher.compile(Schemas.filter(where), TODOS).evaluate(row);
    }

    @Test
    void comparisonsWithNullAreUnknownAndNotKeepsThemUnknown() {
        assertThat(eval("{'owner_id':{'eq':1}}", "owner_id", null)).isEqualTo(Truth.UNKNOWN);
        assertThat(eval("{'not':{'owner_id':{'eq':1}}}", "owner_id", null)).isEqualTo(Truth.UNKNOWN);
        assertThat(eval("{'owner_id':{'ne':1}}", "owner_id", null)).isEqualTo(Truth.UNKNOWN);
        assertThat(eval("{'not':{'owner_id':{'eq':1}}}", "owner_id", 2L)).isEqualTo(Truth.TRUE);
        assertThat(eval("{'owner_id':{'eq':null}}", "owner_id", 1L)).isEqualTo(Truth.UNKNOWN);
        assertThat(eval("{'not':{'owner_id':{'ne':null}}}", "owner_id", 1L)).isEqualTo(Truth.UNKNOWN);
        // A column absent from the row image reads as NULL.
        assertThat(eval("{'owner_id':{'gt':0}}")).isEqualTo(Truth.UNKNOWN);
    }

    @Test
    void andOrFollowKleeneLogic() {
        String unknown = "{'owner_id':{'eq':1}}";
        assertThat(eval("{'and':[" + unknown + ",{'done':{'eq':false}}]}", "done", true))
                .isEqualTo(Truth.FALSE);
        assertThat(eval("{'and':[" + unknown + ",{'done':{'eq':true}}]}", "done", true))
                .isEqualTo(Truth.UNKNOWN);
        assertThat(eval("{'or':[" + unknown + ",{'done':{'eq':true}}]}", "done", true))
                .isEqualTo(Truth.TRUE);
        assertThat(eval("{'or':[" + unknown + ",{'done':{'eq':false}}]}", "done", true))
                .isEqualTo(Truth.UNKNOWN);
        assertThat(eval("{'not':{'or':[" + unknown + ",{'done':{'eq':false}}]}}", "done", true))
                .isEqualTo(Truth.UNKNOWN);
        assertThat(eval("{'and':[]}")).isEqualTo(Truth.TRUE);
        assertThat(eval("{'or':[]}")).isEqualTo(Truth.FALSE);
        assertThat(eval("{}")).isEqualTo(Truth.TRUE);
    }

    @Test
    void inAndNotInWithNullsFollowSql() {
        assertThat(eval("{'id':{'in':[1,null]}}", "id", 1L)).isEqualTo(Truth.TRUE);
        assertThat(eval("{'id':{'in':[1,null]}}", "id", 2L)).isEqualTo(Truth.UNKNOWN);
        assertThat(eval("{'id':{'nin':[1,null]}}", "id", 2L)).isEqualTo(Truth.UNKNOWN);
        assertThat(eval("{'id':{'nin':[1,null]}}", "id", 1L)).isEqualTo(Truth.FALSE);
        assertThat(eval("{'id':{'nin':[1,2]}}", "id", 3L)).isEqualTo(Truth.TRUE);
        assertThat(eval("{'id':{'nin':[1,2]}}", "id", null)).isEqualTo(Truth.UNKNOWN);
        assertThat(eval("{'id':{'in':[]}}", "id", null)).isEqualTo(Truth.FALSE);
        assertThat(eval("{'id':{'nin':[]}}", "id", null)).isEqualTo(Truth.TRUE);
        assertThat(eval("{'id':{'in':[null]}}", "id", null)).isEqualTo(Truth.UNKNOWN);
    }

    @Test
    void isNullIsNeverUnknown() {
        assertThat(eval("{'title':{'isNull':true}}", "title", null)).isEqualTo(Truth.TRUE);
        assertThat(eval("{'title':{'isNull':false}}", "title", null)).isEqualTo(Truth.FALSE);
        assertThat(eval("{'not':{'title':{'isNull':false}}}", "title", "")).isEqualTo(Truth.FALSE);
    }

    @Test
    void numbersCompareByValueWhateverTheirClass() {
        assertThat(eval("{'score':{'eq':2}}", "score", new BigDecimal("2.00"))).isEqualTo(Truth.TRUE);
        assertThat(eval("{'owner_id':{'eq':2.0}}", "owner_id", 2L)).isEqualTo(Truth.TRUE);
        assertThat(eval("{'owner_id':{'eq':2}}", "owner_id", 2)).isEqualTo(Truth.TRUE);
        assertThat(eval("{'owner_id':{'lt':2.5}}", "owner_id", 2L)).isEqualTo(Truth.TRUE);
        assertThat(eval("{'owner_id':{'gt':2.5}}", "owner_id", 2L)).isEqualTo(Truth.FALSE);
        assertThat(eval("{'owner_id':{'gt':-2.5}}", "owner_id", -2L)).isEqualTo(Truth.TRUE);
        assertThat(eval("{'owner_id':{'lt':-2.5}}", "owner_id", -3L)).isEqualTo(Truth.TRUE);
        assertThat(eval("{'owner_id':{'lt':99999999999999999999}}", "owner_id", Long.MAX_VALUE))
                .isEqualTo(Truth.TRUE);
        assertThat(eval("{'owner_id':{'gt':-99999999999999999999}}", "owner_id", Long.MIN_VALUE))
                .isEqualTo(Truth.TRUE);
        assertThat(eval("{'score':{'gt':1}}", "score", new BigInteger("100000000000000000000000")))
                .isEqualTo(Truth.TRUE);
        assertThat(eval("{'score':{'eq':0.1}}", "score", new BigDecimal("0.10")))
                .isEqualTo(Truth.TRUE);
    }

    @Test
    void specialNumbersOrderAsInPostgres() {
        assertThat(eval("{'score':{'gt':1e300}}", "score", "Infinity")).isEqualTo(Truth.TRUE);
        assertThat(eval("{'score':{'gt':'Infinity'}}", "score", "NaN")).isEqualTo(Truth.TRUE);
        assertThat(eval("{'score':{'eq':'NaN'}}", "score", "NaN")).isEqualTo(Truth.TRUE);
        assertThat(eval("{'score':{'lt':-1e300}}", "score", "-Infinity")).isEqualTo(Truth.TRUE);
        assertThat(eval("{'ratio':{'eq':'NaN'}}", "ratio", "NaN")).isEqualTo(Truth.TRUE);
        assertThat(eval("{'ratio':{'gt':'Infinity'}}", "ratio", "NaN")).isEqualTo(Truth.TRUE);
        assertThat(eval("{'ratio':{'eq':0}}", "ratio", -0.0)).isEqualTo(Truth.TRUE);
        assertThat(eval("{'ratio':{'lt':'NaN'}}", "ratio", 1e308)).isEqualTo(Truth.TRUE);
        // A real widened to double is not 0.1: PostgreSQL's real = 0.1 is false too.
        assertThat(eval("{'ratio':{'eq':0.1}}", "ratio", (double) 0.1f)).isEqualTo(Truth.FALSE);
    }

    @Test
    void textComparesByCodePointLikeCollateC() {
        assertThat(eval("{'title':{'lt':'a'}}", "title", "B")).isEqualTo(Truth.TRUE);
        assertThat(eval("{'title':{'lt':'ab'}}", "title", "a")).isEqualTo(Truth.TRUE);
        assertThat(eval("{'title':{'gt':''}}", "title", "")).isEqualTo(Truth.FALSE);
        // U+1F600 sorts after U+FFFD by code point, though its UTF-16 form sorts before.
        assertThat(eval("{'title':{'gt':'\uFFFD'}}", "title", "\uD83D\uDE00")).isEqualTo(Truth.TRUE);
        assertThat(eval("{'title':{'eq':'é'}}", "title", "e\u0301")).isEqualTo(Truth.FALSE);
    }

    @Test
    void blankPaddedTextIgnoresTrailingSpaces() {
        assertThat(eval("{'code':{'eq':'ab'}}", "code", "ab   ")).isEqualTo(Truth.TRUE);
        assertThat(eval("{'code':{'eq':'ab  '}}", "code", "ab")).isEqualTo(Truth.TRUE);
        assertThat(eval("{'code':{'lt':'ab!'}}", "code", "ab   ")).isEqualTo(Truth.TRUE);
        assertThat(eval("{'title':{'eq':'ab'}}", "title", "ab ")).isEqualTo(Truth.FALSE);
    }

    @Test
    void timestampsCompareAsInstants() {
        String row = "2024-05-01T12:00:00.000000Z";
        assertThat(eval("{'created_at':{'eq':'2024-05-01T14:00:00+02:00'}}", "created_at", row))
                .isEqualTo(Truth.TRUE);
        assertThat(eval("{'created_at':{'lt':'2024-05-01T12:00:00.000001Z'}}", "created_at", row))
                .isEqualTo(Truth.TRUE);
        assertThat(eval("{'created_at':{'lt':'infinity'}}", "created_at", row)).isEqualTo(Truth.TRUE);
        assertThat(eval("{'created_at':{'gt':'1970-01-01T00:00:00Z'}}", "created_at", "-0043-03-15T00:00:00.000000Z"))
                .isEqualTo(Truth.FALSE);
        assertThat(eval("{'created_at':{'lt':'+10000-01-01T00:00:00Z'}}", "created_at", "9999-12-31T23:59:59.999999Z"))
                .isEqualTo(Truth.TRUE);
        assertThat(eval("{'local_at':{'eq':'2024-05-01 12:00'}}", "local_at", "2024-05-01T12:00:00.000000"))
                .isEqualTo(Truth.TRUE);
        assertThat(eval("{'due':{'gte':'2024-05-01'}}", "due", "infinity")).isEqualTo(Truth.TRUE);
        assertThat(eval("{'at_time':{'gt':'23:59:59.999999'}}", "at_time", "24:00:00.000000"))
                .isEqualTo(Truth.TRUE);
    }

    @Test
    void uuidsAndBooleansAndBytes() {
        assertThat(eval(
                        "{'uid':{'eq':'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'}}",
                        "uid",
                        "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"))
                .isEqualTo(Truth.TRUE);
        assertThat(eval(
                        "{'uid':{'lt':'b0000000-0000-0000-0000-000000000000'}}",
                        "uid",
                        "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"))
                .isEqualTo(Truth.TRUE);
        assertThat(eval("{'done':{'lt':true}}", "done", false)).isEqualTo(Truth.TRUE);
        assertThat(eval("{'blob':{'eq':'AQI'}}", "blob", "AQI=")).isEqualTo(Truth.TRUE);
        assertThat(eval("{'blob':{'ne':'AQI='}}", "blob", "AQM=")).isEqualTo(Truth.TRUE);
        assertThat(eval("{'meta':{'isNull':false}}", "meta", Map.of())).isEqualTo(Truth.TRUE);
    }

    @Test
    void rejectsNonCanonicalRowValuesLoudly() {
        assertThatThrownBy(() -> eval("{'owner_id':{'eq':1}}", "owner_id", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column \"owner_id\" (bigint)")
                .hasMessageContaining("not canonical");
        assertThatThrownBy(() -> eval("{'created_at':{'eq':'2024-05-01T00:00:00Z'}}", "created_at", "yesterday"))
                .hasMessageContaining("column \"created_at\"");
    }

    @Test
    void compilingChecksFiltersReadBackFromJson() {
        Filter bad = new Filter.Comparison("owner_id", Filter.Operator.GT, "soon");
        assertThatThrownBy(() -> RowMatcher.compile(bad, TODOS))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessage("where.owner_id.gt: expected a number for column \"owner_id\" (bigint)");
        assertThatThrownBy(() -> RowMatcher.compile(new Filter.IsNull("gone", true), TODOS))
                .hasMessageStartingWith("where.gone: unknown column");
    }
}
