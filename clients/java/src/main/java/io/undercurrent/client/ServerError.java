package io.undercurrent.client;

/**
 * An {@code error} frame's content: a code from the protocol ({@code forbidden}, {@code invalid_query},
 * {@code unauthenticated}, {@code token_expired}, {@code internal}, ...; see PROTOCOL.md) and a message
 * for a person. Codes the client makes itself: {@code token_supplier} (the token supplier failed) and
 * {@code bad_frame} (the server sent something that is not a JSON frame).
 */
public record ServerError(String code, String message) {}
