package io.undercurrent.source.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.source.ReadPoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
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

    @Test
    void aWatermarkPassesAReadWhenItSeesEverythingTheReadSees() {
        PgSnapshotPoint read = PgSnapshotPoint.parse("100:105:101,103");
        assertThat(read.passedBy("100:105:101,103")).as("the same snapshot").isEqualTo(ReadPoint.Passage.AFTER);
        assertThat(read.passedBy("106:106:")).as("everything finished since").isEqualTo(ReadPoint.Passage.AFTER);
        assertThat(read.passedBy("101:110:101,103,107"))
                .as("still in progress: only what the read did not see, or began after it")
                .isEqualTo(ReadPoint.Passage.AFTER);
        assertThat(read.passedBy("103:105:103"))
                .as("101 committed since; 103 still runs, unseen by both")
                .isEqualTo(ReadPoint.Passage.AFTER);
    }

    @Test
    void aWatermarkTakenBeforeTheReadDoesNotPassIt() {
        PgSnapshotPoint read = PgSnapshotPoint.parse("100:105:101,103");
        assertThat(read.passedBy("100:104:101,103"))
                .as("xmax below the read's: 104 may have committed in between")
                .isEqualTo(ReadPoint.Passage.NOT_AFTER);
        assertThat(read.passedBy("100:106:101,102,103"))
                .as("102, which the read sees, is still in progress in the watermark")
                .isEqualTo(ReadPoint.Passage.NOT_AFTER);
        assertThat(read.passedBy("99:105:99,101,103"))
                .as("99, below the read's xmin, is in progress in the watermark")
                .isEqualTo(ReadPoint.Passage.NOT_AFTER);
    }

    @Test
    void inASimulatedHistoryALaterSnapshotPassesAnEarlierOneAndNoPassingWatermarkMissesACommit() {
        // Transactions begin and commit at random, with xids crossing the 32-bit wrap; snapshots are taken as
        // PostgreSQL takes them (xmin: oldest running, xmax: latest completed + 1, xip: running below xmax).
        Random random = new Random(42);
        long next = (1L << 32) + 4294967200L; // epoch 1, 96 xids before the wrap
        long latestCompleted = next - 1;
        TreeSet<Long> running = new TreeSet<>();
        Set<Long> committed = new HashSet<>();
        List<String> snapshots = new ArrayList<>();
        List<Set<Long>> seen = new ArrayList<>();
        for (int step = 0; step < 400; step++) {
            int action = random.nextInt(3);
            if (action == 0 || running.isEmpty()) {
                running.add(next++);
            } else if (action == 1) {
                Long done = running.stream()
                        .skip(random.nextInt(running.size()))
                        .findFirst()
                        .orElseThrow();
                running.remove(done);
                committed.add(done);
                latestCompleted = Math.max(latestCompleted, done);
            } else {
                long xmax = latestCompleted + 1;
                long xmin = running.isEmpty() ? xmax : Math.min(running.first(), xmax);
                String xip = running.headSet(xmax).stream().map(String::valueOf).collect(Collectors.joining(","));
                snapshots.add(xmin + ":" + xmax + ":" + xip);
                seen.add(Set.copyOf(committed));
            }
        }
        assertThat(snapshots).hasSizeGreaterThan(100);
        for (int r = 0; r < snapshots.size(); r++) {
            PgSnapshotPoint read = PgSnapshotPoint.parse(snapshots.get(r));
            for (long xid : committed) {
                assertThat(read.sees(xid)).isEqualTo(seen.get(r).contains(xid));
            }
            for (int w = 0; w < snapshots.size(); w++) {
                ReadPoint.Passage passage = read.passedBy(snapshots.get(w));
                if (w >= r) {
                    assertThat(passage)
                            .as("read %s, later watermark %s", snapshots.get(r), snapshots.get(w))
                            .isEqualTo(ReadPoint.Passage.AFTER);
                }
                if (passage == ReadPoint.Passage.AFTER) {
                    assertThat(seen.get(w))
                            .as("watermark %s passes read %s", snapshots.get(w), snapshots.get(r))
                            .containsAll(seen.get(r));
                }
            }
        }
    }

    @Test
    void comparesWatermarksModulo2To32AcrossWraparound() {
        long epoch = 1L << 32;
        PgSnapshotPoint read = PgSnapshotPoint.parse(
                (epoch + 4294967290L) + ":" + (epoch + 4294967295L) + ":" + (epoch + 4294967292L));
        assertThat(read.passedBy((epoch + epoch + 3) + ":" + (epoch + epoch + 5) + ":" + (epoch + epoch + 3)))
                .as("the watermark's xmax wrapped past the read's")
                .isEqualTo(ReadPoint.Passage.AFTER);
        assertThat(read.passedBy((epoch + 4294967292L) + ":" + (epoch + epoch + 2) + ":" + (epoch + 4294967292L)))
                .as("4294967292 is in progress in both")
                .isEqualTo(ReadPoint.Passage.AFTER);
        assertThat(read.passedBy((epoch + 4294967293L) + ":" + (epoch + epoch + 2) + ":" + (epoch + 4294967293L)))
                .as("4294967293, seen by the read, is in progress in the watermark")
                .isEqualTo(ReadPoint.Passage.NOT_AFTER);
        assertThat(read.passedBy((epoch + 4294967280L) + ":" + (epoch + 4294967294L) + ":"))
                .as("the watermark's xmax is before the read's, just below the wrap")
                .isEqualTo(ReadPoint.Passage.NOT_AFTER);
    }

    @Test
    void aWatermarkThatIsNoSnapshotIsUnknown() {
        PgSnapshotPoint read = PgSnapshotPoint.parse("100:105:");
        assertThat(read.passedBy("lsn:123")).isEqualTo(ReadPoint.Passage.UNKNOWN);
        assertThat(read.passedBy("a:b:c")).isEqualTo(ReadPoint.Passage.UNKNOWN);
    }
}
