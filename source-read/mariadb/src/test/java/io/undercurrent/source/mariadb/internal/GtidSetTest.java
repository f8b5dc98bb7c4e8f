package io.undercurrent.source.mariadb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GtidSetTest {

    private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final String B = "8a94f357-aab4-11df-86ab-c80aa9429563";

    @Test
    void intervalsAreInclusiveAndGapsAreNotHeld() {
        GtidSet set = GtidSet.parse(A + ":1-5:7-9:12");
        assertThat(set.contains(A + ":1")).isTrue();
        assertThat(set.contains(A + ":5")).isTrue();
        assertThat(set.contains(A + ":6")).isFalse();
        assertThat(set.contains(A + ":7")).isTrue();
        assertThat(set.contains(A + ":9")).isTrue();
        assertThat(set.contains(A + ":10")).isFalse();
        assertThat(set.contains(A + ":12")).isTrue();
        assertThat(set.contains(A + ":13")).isFalse();
        assertThat(set.contains(A + ":0")).isFalse();
    }

    @Test
    void eachUuidHasItsOwnIntervals() {
        GtidSet set = GtidSet.parse(A + ":1-5," + B + ":1-3");
        assertThat(set.contains(A + ":4")).isTrue();
        assertThat(set.contains(B + ":3")).isTrue();
        assertThat(set.contains(B + ":4")).isFalse();
        assertThat(set.contains("00000000-0000-0000-0000-000000000000:1")).isFalse();
    }

    @Test
    void theTextMySqlPrintsWithNewlinesAndSpacesParses() {
        GtidSet set = GtidSet.parse("  " + A + ":1-5:7-9,\n" + B + ":1-3\n");
        assertThat(set).isEqualTo(GtidSet.parse(A + ":1-5:7-9," + B + ":1-3"));
        assertThat(set.contains(B + ":2")).isTrue();
    }

    @Test
    void uuidsCompareWithoutRegardToCase() {
        GtidSet set = GtidSet.parse(A.toUpperCase() + ":1-5");
        assertThat(set.contains(A + ":3")).isTrue();
        assertThat(set.contains(A.toUpperCase() + ":3")).isTrue();
        assertThat(set.toString()).isEqualTo(A + ":1-5");
    }

    @Test
    void anEmptyTextIsTheEmptySet() {
        assertThat(GtidSet.parse("").isEmpty()).isTrue();
        assertThat(GtidSet.parse(" \n").contains(A + ":1")).isFalse();
        assertThat(GtidSet.parse("").toString()).isEmpty();
    }

    @Test
    void overlappingAndRepeatedIntervalsMerge() {
        GtidSet set = GtidSet.parse(A + ":7-9:1-5:6," + B + ":2," + A + ":4-8:20");
        assertThat(set.toString()).isEqualTo(A + ":1-9:20," + B + ":2");
        assertThat(GtidSet.parse(set.toString())).isEqualTo(set);
    }

    @Test
    void taggedIntervalsBelongToTheirTag() {
        GtidSet set = GtidSet.parse(A + ":1-5:Batch:1-3:8," + B + ":other:4");
        assertThat(set.contains(A + ":batch:2")).isTrue();
        assertThat(set.contains(A + ":BATCH:8")).isTrue();
        assertThat(set.contains(A + ":batch:5")).isFalse();
        assertThat(set.contains(A + ":5")).isTrue();
        assertThat(set.contains(A + ":8")).isFalse();
        assertThat(set.contains(B + ":other:4")).isTrue();
        assertThat(set.contains(B + ":4")).isFalse();
        assertThat(GtidSet.parse(set.toString())).isEqualTo(set);
    }

    @Test
    void largeTransactionNumbersAreHeld() {
        GtidSet set = GtidSet.parse(A + ":1-9223372036854775806");
        assertThat(set.contains(A + ":9223372036854775806")).isTrue();
    }

    @Test
    void whatIsNotASingleGtidIsNotHeld() {
        GtidSet set = GtidSet.parse(A + ":1-5");
        assertThat(set.contains("")).isFalse();
        assertThat(set.contains(A)).isFalse();
        assertThat(set.contains(A + ":x")).isFalse();
        assertThat(set.contains("0-1-5")).isFalse(); // a MariaDB GTID
    }

    @Test
    void malformedSetsFailNamingThePart() {
        assertThatThrownBy(() -> GtidSet.parse("not-a-uuid:1-5"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a MySQL GTID set")
                .hasMessageContaining("does not start with a server UUID");
        assertThatThrownBy(() -> GtidSet.parse(A))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ends without an interval");
        assertThatThrownBy(() -> GtidSet.parse(A + ":5-3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("interval \"5-3\" is empty");
        assertThatThrownBy(() -> GtidSet.parse(A + ":0-3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("starts below 1");
        assertThatThrownBy(() -> GtidSet.parse(A + ":1-x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not n or n-m");
        assertThatThrownBy(() -> GtidSet.parse(A + "::1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neither an interval nor a tag");
        assertThatThrownBy(() -> GtidSet.parse(A + ":1," + B + ":1,"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not start with a server UUID");
        assertThatThrownBy(() -> GtidSet.parse(A + ":t1:t2:1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("follows a tag without intervals");
        assertThatThrownBy(() -> GtidSet.parse(A + ":1:t1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ends without an interval");
    }
}
