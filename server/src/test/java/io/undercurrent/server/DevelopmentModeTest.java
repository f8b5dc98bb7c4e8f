package io.undercurrent.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.server.config.Config;
import io.undercurrent.server.config.ConfigLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DevelopmentModeTest {

    private static final String SECRET = "a-real-secret-of-at-least-32-bytes-long";

    private static Config load(Map<String, String> env) throws Exception {
        return new ConfigLoader(env).load(null);
    }

    @Test
    void theEmbeddedDefaultListensOnThisMachineOnlyUnlessToldOtherwise() throws Exception {
        assertThat(DevelopmentMode.httpHost(load(Map.of()))).isEqualTo("127.0.0.1");
        assertThat(DevelopmentMode.httpHost(load(Map.of("UNDERCURRENT_JWT_SECRET", SECRET))))
                .isEqualTo("127.0.0.1");
        assertThat(DevelopmentMode.httpHost(load(Map.of("UNDERCURRENT_HTTP_HOST", "0.0.0.0"))))
                .isEqualTo("0.0.0.0");
    }

    @Test
    void aDeploymentOfYourOwnKeepsListeningOnEveryInterfaceOrWhereItIsTold() throws Exception {
        assertThat(DevelopmentMode.httpHost(load(Map.of("UNDERCURRENT_EMBEDDED_ENABLED", "false"))))
                .isEqualTo("0.0.0.0");
        assertThat(DevelopmentMode.httpHost(
                        load(Map.of("UNDERCURRENT_EMBEDDED_ENABLED", "false", "UNDERCURRENT_HTTP_HOST", "10.1.2.3"))))
                .isEqualTo("10.1.2.3");
    }

    @Test
    void developmentTokensOnlyWithTheEmbeddedDevelopmentSecret() throws Exception {
        assertThat(DevelopmentMode.mintsTokens(load(Map.of()))).isTrue();
        assertThat(DevelopmentMode.mintsTokens(load(Map.of("UNDERCURRENT_JWT_SECRET", SECRET))))
                .isFalse();
        assertThat(DevelopmentMode.mintsTokens(
                        load(Map.of("UNDERCURRENT_JWT_JWKS_URL", "https://id.example.test/.well-known/jwks.json"))))
                .as("tokens come from the identity provider")
                .isFalse();
        assertThat(DevelopmentMode.mintsTokens(load(Map.of("UNDERCURRENT_EMBEDDED_ENABLED", "false"))))
                .isFalse();
        assertThat(DevelopmentMode.mintsTokens(
                        load(Map.of("UNDERCURRENT_EMBEDDED_ENABLED", "false", "UNDERCURRENT_JWT_SECRET", SECRET))))
                .isFalse();
    }

    @Test
    void loopbackAddressesAreThisMachineOnly() {
        assertThat(DevelopmentMode.isThisMachineOnly("127.0.0.1")).isTrue();
        assertThat(DevelopmentMode.isThisMachineOnly("localhost")).isTrue();
        assertThat(DevelopmentMode.isThisMachineOnly("::1")).isTrue();
        assertThat(DevelopmentMode.isThisMachineOnly("0.0.0.0")).isFalse();
        assertThat(DevelopmentMode.isThisMachineOnly("no-such-host.invalid")).isFalse();
    }
}
