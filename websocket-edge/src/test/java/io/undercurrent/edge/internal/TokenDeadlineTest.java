package io.undercurrent.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenDeadlineTest {

    private static final long EXP = 1_767_225_600_000L;
    private final ManualClock clock = new ManualClock(EXP - 1_000);
    private final TokenDeadline deadline = new TokenDeadline(clock);

    @Test
    void aConnectionWithoutATokenNeverReachesItsDeadline() {
        clock.set(Long.MAX_VALUE - 1);
        assertThat(deadline.reached()).isFalse();
        assertThat(deadline.millisLeft()).isEqualTo(TokenDeadline.NEVER);
    }

    @Test
    void theDeadlineIsExpToTheMillisecond() {
        assertThat(deadline.moveTo(EXP)).isTrue();
        clock.set(EXP - 1);
        assertThat(deadline.reached()).isFalse();
        assertThat(deadline.millisLeft()).isEqualTo(1);
        clock.set(EXP);
        assertThat(deadline.reached()).isTrue();
        assertThat(deadline.millisLeft()).isZero();
    }

    @Test
    void aRefreshBeforeTheDeadlineMovesIt() {
        deadline.moveTo(EXP);
        clock.set(EXP - 1);
        assertThat(deadline.moveTo(EXP + 60_000)).isTrue();
        clock.set(EXP + 59_999);
        assertThat(deadline.reached()).isFalse();
        assertThat(deadline.millisLeft()).isEqualTo(1);
    }

    @Test
    void aRefreshToATokenWithoutExpRemovesTheDeadline() {
        deadline.moveTo(EXP);
        assertThat(deadline.moveTo(null)).isTrue();
        clock.set(EXP + 1);
        assertThat(deadline.reached()).isFalse();
    }

    @Test
    void aRefreshAfterTheDeadlineIsTooLateAndChangesNothing() {
        deadline.moveTo(EXP);
        clock.set(EXP + 5);
        assertThat(deadline.moveTo(EXP + 60_000)).isFalse();
        assertThat(deadline.reached()).isTrue();
    }

    @Test
    void onceReachedItStaysReachedEvenIfTheClockGoesBack() {
        deadline.moveTo(EXP);
        clock.set(EXP);
        assertThat(deadline.reached()).isTrue();
        clock.set(EXP - 10_000);
        assertThat(deadline.reached()).isTrue();
        assertThat(deadline.moveTo(EXP + 60_000)).isFalse();
    }

    @Test
    void aNewAlarmCancelsThePreviousOne() {
        ManualTimer timer = new ManualTimer();
        try {
            deadline.alarm(timer.schedule(() -> {}, 1, java.util.concurrent.TimeUnit.SECONDS));
            deadline.alarm(timer.schedule(() -> {}, 2, java.util.concurrent.TimeUnit.SECONDS));
            assertThat(timer.scheduled().get(0).cancelled()).isTrue();
            assertThat(timer.pending().delayMs()).isEqualTo(2_000);
            deadline.cancel();
            assertThat(timer.scheduled()).allMatch(ManualTimer.Task::cancelled);
        } finally {
            timer.shutdownNow();
        }
    }
}
