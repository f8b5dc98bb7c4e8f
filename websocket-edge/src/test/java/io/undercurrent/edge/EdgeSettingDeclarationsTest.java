package io.undercurrent.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.change.Topics;
import io.undercurrent.settings.Setting;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server knows this module's settings only through {@link EdgeSettingDeclarations#ALL}: a setting declared but
 * left out of it would be missing from CONFIG.md and refused as unknown at start-up.
 */
class EdgeSettingDeclarationsTest {

    @Test
    void everyDeclaredSettingIsListedOnceAndNamedForThisModule() throws IllegalAccessException {
        List<Setting<?>> declared = new ArrayList<>();
        for (Field field : EdgeSettingDeclarations.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == Setting.class) {
                declared.add((Setting<?>) field.get(null));
            }
        }

        assertThat(declared).isNotEmpty();
        assertThat(EdgeSettingDeclarations.ALL).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(declared);
        assertThat(EdgeSettingDeclarations.ALL)
                .allSatisfy(setting -> assertThat(List.of("edge.", "channel."))
                        .anySatisfy(prefix -> assertThat(setting.key()).startsWith(prefix)));
    }

    @Test
    void theDefaultSettingsHoldTheDeclaredDefaults() {
        EdgeSettings defaults = EdgeSettings.defaults("edge-1", "localhost:9092", new Topics("uc"), "app");

        assertThat(defaults.idleTimeout()).isEqualTo(EdgeSettingDeclarations.IDLE_TIMEOUT.defaultValue());
        assertThat(defaults.maxPendingBytes()).isEqualTo(EdgeSettingDeclarations.MAX_PENDING.defaultValue());
        assertThat(defaults.maxSubscriptions()).isEqualTo(EdgeSettingDeclarations.MAX_SUBSCRIPTIONS.defaultValue());
        assertThat(defaults.maxSnapshotRows()).isEqualTo(EdgeSettingDeclarations.MAX_SNAPSHOT_ROWS.defaultValue());
        assertThat(defaults.maxBufferedDeltas()).isEqualTo(EdgeSettingDeclarations.MAX_BUFFERED_DELTAS.defaultValue());
        assertThat(defaults.framesPerSecond()).isEqualTo(EdgeSettingDeclarations.FRAMES_PER_SECOND.defaultValue());
        assertThat(defaults.registrationTimeout())
                .isEqualTo(EdgeSettingDeclarations.REGISTRATION_TIMEOUT.defaultValue());
        assertThat(defaults.heartbeatTtl()).isEqualTo(EdgeSettingDeclarations.HEARTBEAT_TTL.defaultValue());
        assertThat(defaults.workerThreads()).isEqualTo(EdgeSettingDeclarations.WORKER_THREADS.defaultValue());
        assertThat(defaults.workerQueue()).isEqualTo(EdgeSettingDeclarations.WORKER_QUEUE.defaultValue());
        assertThat(defaults.schemaCacheTtl()).isEqualTo(EdgeSettingDeclarations.SCHEMA_CACHE_TTL.defaultValue());
        assertThat(defaults.deliveryRetryBackoff())
                .isEqualTo(EdgeSettingDeclarations.DELIVERY_RETRY_BACKOFF.defaultValue());
        assertThat(defaults.deliveryRetryBackoffMax())
                .isEqualTo(EdgeSettingDeclarations.DELIVERY_RETRY_BACKOFF_MAX.defaultValue());
        assertThat(defaults.windowReadDelay()).isEqualTo(EdgeSettingDeclarations.WINDOW_READ_DELAY.defaultValue());
        assertThat(defaults.deliveryStallTimeout())
                .isEqualTo(EdgeSettingDeclarations.DELIVERY_STALL_TIMEOUT.defaultValue());
        assertThat(defaults.resumeSecret()).isEqualTo(EdgeSettingDeclarations.RESUME_SECRET.defaultValue());
        assertThat(defaults.sseTokenParameter()).isEqualTo(EdgeSettingDeclarations.SSE_TOKEN_PARAMETER.defaultValue());
    }

    @Test
    void theDefaultChannelLimitsAreTheDeclaredOnes() {
        assertThat(ChannelSettings.DEFAULTS)
                .isEqualTo(new ChannelSettings(
                        EdgeSettingDeclarations.CHANNEL_ACTIONS_PER_SECOND.defaultValue(),
                        EdgeSettingDeclarations.CHANNEL_MAX_MESSAGE_BYTES.defaultValue(),
                        EdgeSettingDeclarations.CHANNEL_MAX_JOINED.defaultValue()));
    }
}
