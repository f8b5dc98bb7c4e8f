package io.undercurrent.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresSettingsTest {

    @Test
    void defaultsEnableLogicalDecodingAndSynchronousCommit() {
        assertThat(PostgresSettings.merge(Map.of()))
                .containsEntry("wal_level", "logical")
                .containsEntry("max_wal_senders", "10")
                .containsEntry("max_replication_slots", "10")
                .containsEntry("synchronous_commit", "on");
    }

    @Test
    void callerSettingsWin() {
        assertThat(PostgresSettings.merge(Map.of("max_replication_slots", "20", "work_mem", "8MB")))
                .containsEntry("max_replication_slots", "20")
                .containsEntry("work_mem", "8MB");
    }

    @Test
    void whitespaceInASettingIsRejectedWithEveryOffender() {
        assertThatThrownBy(() -> PostgresSettings.merge(Map.of("search_path", "a, b", "ok", "1", "bad key", "x")))
                .isInstanceOf(EmbeddedException.class)
                .hasMessageContaining("search_path=a, b")
                .hasMessageContaining("bad key=x")
                .hasMessageContaining("withServerSetting");
    }
}
