package io.undercurrent.client;

/** Told of every connection state change, on the client's thread, in order. */
@FunctionalInterface
public interface ConnectionListener {

    void onStatus(ConnectionStatus status);
}
