package io.undercurrent.server.roles;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This machine's name, made safe for topic and client names. */
final class HostName {

    private HostName() {}

    static String get() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            name = "localhost";
        }
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "-");
        return safe.length() > 60 ? safe.substring(0, 60) : safe;
    }
}
