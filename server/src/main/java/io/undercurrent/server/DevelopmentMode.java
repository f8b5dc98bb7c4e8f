package io.undercurrent.server;

import io.undercurrent.server.config.Config;
import io.undercurrent.server.config.ServerSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * What the embedded default's development conveniences may do. It is for one developer's machine:
 * it listens on that machine only unless {@code http.host} says otherwise, and it mints tokens at
 * {@code /dev/token} only while it signs with its own development secret, never with a configured
 * {@code jwt.secret} (that would hand anyone an admin token for a real deployment), and never when
 * tokens come from an identity provider ({@code jwt.jwks-url}).
 */
final class DevelopmentMode {

    static final String THIS_MACHINE = "127.0.0.1";
    static final String EVERY_INTERFACE = "0.0.0.0";

    private DevelopmentMode() {}

    /** The address to listen on: {@code http.host} when set, else this machine for the embedded default, else every interface. */
    static String httpHost(Config config) {
        if (config.isSet(ServerSettings.HTTP_HOST)) {
            return config.get(ServerSettings.HTTP_HOST);
        }
        return config.get(ServerSettings.EMBEDDED) ? THIS_MACHINE : EVERY_INTERFACE;
    }

    /** Whether an address to listen on is a loopback address (an unresolvable name counts as not). */
    static boolean isThisMachineOnly(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Whether {@code /dev/token} is served.
     *
     * @param configured the configuration as loaded, before the embedded infrastructure filled in its secret
     */
    static boolean mintsTokens(Config configured) {
        return configured.get(ServerSettings.EMBEDDED)
                && !configured.isSet(ServerSettings.JWT_SECRET)
                && !configured.isSet(ServerSettings.JWT_JWKS_URL);
    }
}
