/**
 * What edges tell each other about ephemeral channels (presence and messages), through Kafka and
 * never through a database. Routers take no part: channels are edge to edge.
 *
 * <ul>
 *   <li>{@link ChannelTopics#presence}: compacted; per edge node a heartbeat ({@link PresenceKey.Node})
 *       and per client present in a channel a {@link PresenceRecord} ({@link PresenceKey.Member}); a
 *       leave is the member's tombstone. A node reads it from the start to learn who is present, then
 *       follows it.
 *   <li>{@link ChannelTopics#messages}: short retention; every {@link ChannelMessage}, read by every
 *       node from the end (a message matters only to who is present now).
 * </ul>
 */
package io.undercurrent.bus.channel;
