package io.undercurrent.source.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PgSnapshotPointTest {

    @Test
    void seesTransactionsBeforeXminAndCommittedOnesBelowXmaxExceptInProgress() {
        PgSnapshotPoint v = PgSnapshotPoint.parse("100:105:101,103");
        assertThat(v.sees(99)).isTrue();
        assertThat(v.sees(100)).isTrue();
        assertThat(v.sees(101)).isFalse();
        assertThat(v.sees(102)).isTrue();
        assertThat(v.sees(103)).isFalse();
        assertThat(v.sees(104)).isTrue();
        assertThat(v.sees(105)).isFalse();
        assertThat(v.sees(5000)).isFalse();
    }

    @Test
    void anEmptyInProgressListAndXminEqualToXmax() {
        PgSnapshotPoint v = PgSnapshotPoint.parse("731:731:");
        assertThat(v.sees(730)).isTrue();
        assertThat(v.sees(731)).isFalse();
    }

    @Test
    void comparesModulo2To32AcrossWraparound() {
        // xid8 values with epoch 1 (low 32 bits near the wrap); the stream carries plain 32-bit xids.
        long epoch = 1L << 32;
        PgSnapshotPoint v = PgSnapshotPoint.parse((epoch + 4294967290L) + ":" + (epoch + 4294967296L + 5) + ":");
        assertThat(v.sees(4294967280L)).isTrue(); // before xmin
        assertThat(v.sees(4294967295L)).isTrue(); // between xmin and the wrap
        assertThat(v.sees(3)).isTrue(); // after the wrap, before xmax
        assertThat(v.sees(5)).isFalse(); // at xmax
        assertThat(v.sees(6)).isFalse();
    }
}
