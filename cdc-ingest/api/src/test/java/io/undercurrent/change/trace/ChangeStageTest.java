package io.undercurrent.change.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChangeStageTest {

    @TempDir
    Path dir;

    @Test
    void aRecordingThatEnablesTheEventGetsEveryStageWithTheChangesIdentity() throws Exception {
        List<RecordedEvent> events;
        try (Recording recording = new Recording()) {
            recording.enable("io.undercurrent.ChangeStage");
            recording.start();
            assertThat(ChangeStage.recording()).isTrue();
            ChangeStage.reached(ChangeStage.ROUTER_READ, "742", 1_700_000_000_123L);
            recording.stop();
            Path file = Files.createFile(dir.resolve("stages.jfr"));
            recording.dump(file);
            events = RecordingFile.readAllEvents(file);
        }
        assertThat(events)
                .filteredOn(e -> e.getEventType().getName().equals("io.undercurrent.ChangeStage"))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.getString("stage")).isEqualTo("router-read");
                    assertThat(e.getString("txId")).isEqualTo("742");
                    assertThat(e.getInstant("commitTime").toEpochMilli()).isEqualTo(1_700_000_000_123L);
                });
    }

    @Test
    void withoutSuchARecordingNothingIsRecorded() throws Exception {
        List<RecordedEvent> events;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.CPULoad");
            recording.start();
            assertThat(ChangeStage.recording()).isFalse();
            ChangeStage.reached(ChangeStage.CAPTURED, "1", 1L);
            recording.stop();
            Path file = Files.createFile(dir.resolve("none.jfr"));
            recording.dump(file);
            events = RecordingFile.readAllEvents(file);
        }
        assertThat(events).noneMatch(e -> e.getEventType().getName().equals("io.undercurrent.ChangeStage"));
    }
}
