package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PartitionMarksTest {

    private final PartitionMarks marks = new PartitionMarks();

    @Test
    void aPartitionHasNoMarksUntilOneIsSet() {
        assertThat(marks.hasOffset(0)).isFalse();
        assertThat(marks.hasOffset(7)).isFalse();
        assertThat(marks.order(7)).isNull();

        marks.offset(3, 0);
        marks.order(3, "o1");

        assertThat(marks.hasOffset(3)).as("offset 0 is a mark").isTrue();
        assertThat(marks.offset(3)).isZero();
        assertThat(marks.order(3)).isEqualTo("o1");
        assertThat(marks.hasOffset(2))
                .as("partitions below, grown with it, have none")
                .isFalse();
        assertThat(marks.order(2)).isNull();
    }

    @Test
    void raisingKeepsTheHigherOffset() {
        marks.raiseOffset(1, 5);
        assertThat(marks.offset(1)).isEqualTo(5);
        marks.raiseOffset(1, 3);
        assertThat(marks.offset(1)).isEqualTo(5);
        marks.raiseOffset(1, 9);
        assertThat(marks.offset(1)).isEqualTo(9);
        marks.raiseOffset(1, -1);
        assertThat(marks.offset(1)).isEqualTo(9);
        marks.raiseOffset(2, -1);
        assertThat(marks.hasOffset(2))
                .as("-1: nothing taken before offset 0, still a mark")
                .isTrue();
        assertThat(marks.offset(2)).isEqualTo(-1);
    }

    @Test
    void clearForgetsEveryPartition() {
        marks.offset(0, 10);
        marks.order(0, "o");
        marks.offset(40, 11);

        marks.clear();

        assertThat(marks.hasOffset(0)).isFalse();
        assertThat(marks.hasOffset(40)).isFalse();
        assertThat(marks.order(0)).isNull();
    }

    @Test
    void aNegativePartitionIsRefused() {
        assertThatThrownBy(() -> marks.offset(-1, 1)).hasMessageContaining("numbered from 0");
        assertThat(marks.hasOffset(-1)).isFalse();
    }
}
