package io.undercurrent.query;

import static io.undercurrent.query.Schemas.TODOS;
import static io.undercurrent.query.Schemas.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LiveQueryParserTest {
    private final LiveQueryParser parser = new LiveQueryParser();

    @Test
    void readsAWholeSubscribeFrame() {
        LiveQuery q = Schemas.parse("{'type':'subscribe','id':'q1','source':'app','table':'public.todos',"
                + "'where':{'owner_id':{'eq':7},'done':{'eq':false},'or':[{'score':{'gte':12.50}},"
                + "{'title':{'in':['a',null]}}]},'fields':['id','title'],'orderBy':[['created_at','desc'],'title'],"
                + "'limit':50}");
        assertThat(q.source()).isEqualTo("app");
        assertThat(q.table()).isEqualTo("public.todos");
        assertThat(q.fields()).containsExactly("id", "title");
        assertThat(q.orderBy())
                .containsExactly(
                        new LiveQuery.Order("created_at", LiveQuery.Direction.DESC),
                        new LiveQuery.Order("title", LiveQuery.Direction.ASC));
        assertThat(q.limit()).isEqualTo(50);
        assertThat(q.where())
                .isEqualTo(new Filter.And(List.of(
                        new Filter.Comparison("owner_id", Filter.Operator.EQ, 7L),
                        new Filter.Comparison("done", Filter.Operator.EQ, false),
                        new Filter.Or(List.of(
                                new Filter.Comparison("score", Filter.Operator.GTE, new BigDecimal("12.50")),
                                new Filter.In("title", java.util.Arrays.asList("a", null), false))))));
    }

    @Test
    void omittedPartsHaveTheirDefaults() {
        LiveQuery q = Schemas.parse("{'table':'public.todos'}");
        assertThat(q.where()).isEqualTo(Filter.matchAll());
        assertThat(q.fields()).isNull();
        assertThat(q.orderBy()).isEmpty();
        assertThat(q.limit()).isNull();
        assertThat(q.source()).isNull();
    }

    @Test
    void normalisesValuesToTheirCanonicalForm() {
        Filter f = Schemas.filter("{'created_at':{'gt':'2024-05-01T14:00:00+02:00'},"
                + "'uid':{'eq':'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'},'due':{'lt':'2024-05-01'},"
                + "'at_time':{'lt':'12:30'},'blob':{'eq':'AQI'},'owner_id':{'lt':'12345678901234567890'},"
                + "'ratio':{'ne':'NaN'}}");
        assertThat(((Filter.And) f).operands())
                .containsExactly(
                        new Filter.Comparison("created_at", Filter.Operator.GT, "2024-05-01T12:00:00.000000Z"),
                        new Filter.Comparison("uid", Filter.Operator.EQ, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"),
                        new Filter.Comparison("due", Filter.Operator.LT, "2024-05-01"),
                        new Filter.Comparison("at_time", Filter.Operator.LT, "12:30:00.000000"),
                        new Filter.Comparison("blob", Filter.Operator.EQ, "AQI="),
                        new Filter.Comparison("owner_id", Filter.Operator.LT, new BigDecimal("12345678901234567890")),
                        new Filter.Comparison("ratio", Filter.Operator.NE, "NaN"));
    }

    @Test
    void namesThePathOfAWrongValueType() {
        assertThatThrownBy(() -> Schemas.filter("{'and':[{'done':{'eq':true}},{'owner_id':{'gt':'x'}}]}"))
                .isInstanceOf(InvalidQueryException.class)
                .hasMessage("where.and[1].owner_id.gt: expected a number for column \"owner_id\" (bigint)")
                .extracting(e -> ((InvalidQueryException) e).path())
                .isEqualTo("where.and[1].owner_id.gt");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {'nope':{'eq':1}}                          | where.nope            | unknown column "nope" in table public.todos
            {'title':{'like':'a%'}}                    | where.title.like      | unknown operator "like"
            {'title':{'eq':1}}                         | where.title.eq        | expected a string for column "title" (text)
            {'done':{'eq':'yes'}}                      | where.done.eq         | expected true or false
            {'score':{'in':[1,'two']}}                 | where.score.in[1]     | expected a number for column "score" (numeric)
            {'owner_id':{'eq':'NaN'}}                  | where.owner_id.eq     | is not an integer
            {'ratio':{'gt':1e400}}                     | where.ratio.gt        | out of range
            {'created_at':{'gt':'2024-05-01T12:00:00'}} | where.created_at.gt  | zone offset
            {'local_at':{'gt':'2024-05-01T12:00:00Z'}} | where.local_at.gt     | no zone or offset
            {'created_at':{'gt':'2024-05-01T12:00:00.1234567Z'}} | where.created_at.gt | at most 6 fractional digits
            {'due':{'eq':'2024-02-30'}}                | where.due.eq          | valid calendar date
            {'due':{'eq':'99999999-01-01'}}            | where.due.eq          | outside the range
            {'uid':{'eq':'not-a-uuid'}}                | where.uid.eq          | expected a uuid string
            {'blob':{'eq':'***'}}                      | where.blob.eq         | base64
            {'blob':{'gt':'AQI='}}                     | where.blob.gt         | use eq, ne, in, nin or isNull on it
            {'meta':{'eq':1}}                          | where.meta.eq         | use isNull on it
            {'tags':{'gt':1}}                          | where.tags.gt         | use isNull on it
            {'title':{'eq':{'a':1}}}                   | where.title.eq        | expected a single value
            {'title':{'in':'a'}}                       | where.title.in        | expected an array of values
            {'title':{'isNull':'yes'}}                 | where.title.isNull    | expected true (IS NULL) or false
            {'title':'a'}                              | where.title           | expected an object of operators
            {'title':{}}                               | where.title           | expected an object of operators
            {'and':{'title':{'eq':'a'}}}               | where.and             | expected an array
            {'or':[{'title':{'eq':'a'}}, 5]}           | where.or[1]           | expected an object of conditions
            {'not':[]}                                 | where.not             | expected an object of conditions
            {'we\\'ird':{'eq':1}}                     | where["we\\"ird"]     | unknown column "we\\"ird"
            """)
    void namesThePathOfEachProblemInWhere(String where, String path, String fragment) {
        assertThatThrownBy(() -> Schemas.filter(where)).isInstanceOfSatisfying(InvalidQueryException.class, e -> {
            assertThat(e.path()).isEqualTo(path);
            assertThat(e.getMessage()).startsWith(path + ": ").contains(fragment);
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {'table':'public.todos','fields':['id','nope']}              | fields[1]     | unknown column "nope"
            {'table':'public.todos','fields':['id','id']}                | fields[1]     | listed twice
            {'table':'public.todos','fields':[]}                         | fields        | non-empty array
            {'table':'public.todos','fields':'id'}                       | fields        | non-empty array
            {'table':'public.todos','orderBy':[['title','up']]}          | orderBy[0][1] | "asc" or "desc"
            {'table':'public.todos','orderBy':[['nope']]}                | orderBy[0][0] | unknown column
            {'table':'public.todos','orderBy':[['meta','asc']]}          | orderBy[0][0] | cannot order by column "meta"
            {'table':'public.todos','orderBy':['title','title']}         | orderBy[1]    | ordered by twice
            {'table':'public.todos','orderBy':[[]]}                      | orderBy[0]    | expected ["column"]
            {'table':'public.todos','orderBy':{'title':'asc'}}           | orderBy       | expected an array
            {'table':'public.todos','limit':0}                           | limit         | from 1 to 10000
            {'table':'public.todos','limit':10001}                       | limit         | from 1 to 10000
            {'table':'public.todos','limit':2.5}                         | limit         | whole number
            {'table':'public.todos','limit':'5'}                         | limit         | whole number
            {'table':'public.todos','limit':-1}                          | limit         | whole number
            {'table':'public.other'}                                     | table         | expected "public.todos"
            {'where':{}}                                                 | table         | missing
            {'table':'public.todos','source':'billing'}                  | source        | expected "app"
            {'table':'public.todos','select':['id']}                     | select        | unknown key "select"
            {'table':'public.todos','where':[]}                          | where         | expected an object of conditions
            """)
    void namesThePathOfEachProblemOutsideWhere(String frame, String path, String fragment) {
        assertThatThrownBy(() -> Schemas.parse(frame)).isInstanceOfSatisfying(InvalidQueryException.class, e -> {
            assertThat(e.path()).isEqualTo(path);
            assertThat(e.getMessage()).startsWith(path + ": ").contains(fragment);
        });
    }

    @Test
    void refusesFiltersPastTheLimits() {
        LiveQueryParser tight = new LiveQueryParser(new QueryLimits(3, 5, 3, 6, 10, 100, 2));
        assertThatThrownBy(() -> tight.parse(Schemas.where("{'not':{'not':{'not':{'title':{'eq':'a'}}}}}"), TODOS))
                .hasMessageStartingWith("where.not.not.not: filter nests deeper than 3 levels");
        assertThatThrownBy(
                        () -> tight.parse(Schemas.where("{'id':{'eq':1,'ne':2,'lt':3,'lte':4,'gt':5,'gte':6}}"), TODOS))
                .hasMessageStartingWith("where.id.gte: filter has more than 5 conditions");
        assertThatThrownBy(() -> tight.parse(Schemas.where("{'id':{'in':[1,2,3,4]}}"), TODOS))
                .hasMessageStartingWith("where.id.in: list has 4 values; at most 3");
        assertThatThrownBy(() -> tight.parse(
                        Schemas.where("{'id':{'in':[1,2,3]},'owner_id':{'nin':[1,2,3]}," + "'title':{'eq':'a'}}"),
                        TODOS))
                .hasMessageStartingWith("where.title.eq: filter has more than 6 values");
        assertThatThrownBy(() -> tight.parse(Schemas.where("{'title':{'eq':'0123456789x'}}"), TODOS))
                .hasMessageStartingWith("where.title.eq: value is 11 characters long; at most 10");
        assertThatThrownBy(() -> tight.parse(json("{'table':'public.todos','orderBy':['id','title','done']}"), TODOS))
                .hasMessageStartingWith("orderBy: has 3 entries; at most 2");
        assertThatThrownBy(() -> new QueryLimits(0, 1, 1, 1, 1, 1, 1)).hasMessageContaining("maxDepth");
    }

    @Test
    void refusesTextThatPostgresCannotStore() {
        assertThatThrownBy(() -> Schemas.filter("{'title':{'eq':'a\\u0000b'}}"))
                .hasMessageStartingWith("where.title.eq: text contains the NUL character");
        assertThatThrownBy(() -> Schemas.filter("{'title':{'eq':'\\ud800'}}"))
                .hasMessageStartingWith("where.title.eq: text contains an unpaired UTF-16 surrogate");
    }

    @Test
    void doesNotEchoHugeClientNamesBack() {
        String name = "x".repeat(500);
        assertThatThrownBy(() -> Schemas.filter("{'" + name + "':{'eq':1}}"))
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(400));
    }
}
