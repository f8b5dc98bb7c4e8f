package io.undercurrent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Channel rules: who may join and publish to an ephemeral channel, and which claims others see. */
class ChannelRulesTest {

    private static final TableRef MEMBERSHIPS = new TableRef("app", "public.memberships");

    @TempDir
    Path dir;

    private LookupStore store;
    private RulesEngine engine;

    @BeforeEach
    void load() throws IOException, RulesException {
        Files.writeString(dir.resolve("channels.yaml"), """
        # members of group 42 may join group:42; owners may also publish
        channel: "group:*"
        lookups:
          member:
            table: public.memberships
            key: [group_id, user_id]
        join: "auth != null && exists(member, num(channel.id), auth.sub)"
        publish: "lookup(member, num(channel.id), auth.sub).role == 'owner' || auth.role == 'admin'"
        presence: [sub, name]
        ---
        channel: "group:admins"
        join: "auth.role == 'admin'"
        ---
        channel: "lobby"
        join: "true"
        publish: "auth != null && channel.name == 'lobby' && channel.id == ''"
        """);
        store = new LookupStore(LookupLimits.DEFAULT);
        engine = RulesEngine.start(new RulesOptions(dir, "app", false).withLookups(store), null);
        store.upsert(
                MEMBERSHIPS, Map.of("id", 1L), Map.of("id", 1L, "group_id", 42L, "user_id", "alice", "role", "owner"));
        store.upsert(
                MEMBERSHIPS, Map.of("id", 2L), Map.of("id", 2L, "group_id", 42L, "user_id", "bob", "role", "member"));
        store.tables().forEach(store::ready);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private ChannelAccess access(String channel, Map<String, ?> auth) {
        return engine.current().channel(channel, auth, 0);
    }

    @Test
    void membersOfTheGroupMayJoinItsChannelAndOwnersPublish() {
        ChannelAccess alice = access("group:42", Map.of("sub", "alice", "name", "Alice", "email", "a@x"));
        assertThat(alice.join()).isTrue();
        assertThat(alice.publish()).isTrue();
        assertThat(alice.presenceClaims()).containsExactly("sub", "name");
        assertThat(alice.rule()).endsWith("channels.yaml:2:10");

        ChannelAccess bob = access("group:42", Map.of("sub", "bob"));
        assertThat(bob.join()).isTrue();
        assertThat(bob.publish()).isFalse();

        assertThat(access("group:42", Map.of("sub", "carol")).join()).isFalse();
        assertThat(access("group:7", Map.of("sub", "alice")).join()).isFalse();
        assertThat(access("group:42", null).join()).isFalse();
        assertThat(access("group:x", Map.of("sub", "alice")).join()).isFalse();
    }

    @Test
    void aMembershipChangeDecidesTheNextJoin() {
        store.upsert(
                MEMBERSHIPS, Map.of("id", 3L), Map.of("id", 3L, "group_id", 7L, "user_id", "carol", "role", "member"));
        assertThat(access("group:7", Map.of("sub", "carol")).join()).isTrue();
        store.delete(MEMBERSHIPS, Map.of("id", 3L));
        assertThat(access("group:7", Map.of("sub", "carol")).join()).isFalse();
    }

    @Test
    void theMostSpecificRuleDecides() {
        // group:admins is also matched by group:*, but its own rule decides: no lookup, admins only.
        assertThat(access("group:admins", Map.of("sub", "alice")).join()).isFalse();
        ChannelAccess admin = access("group:admins", Map.of("sub", "root", "role", "admin"));
        assertThat(admin.join()).isTrue();
        assertThat(admin.publish()).as("no publish condition: nobody publishes").isFalse();
        assertThat(admin.presenceClaims())
                .as("no presence list: no claim is shown")
                .isEmpty();
    }

    @Test
    void channelNameAndIdAreReadable() {
        ChannelAccess anonymous = access("lobby", null);
        assertThat(anonymous.join()).isTrue();
        assertThat(anonymous.publish()).isFalse();
        assertThat(access("lobby", Map.of("sub", "x")).publish()).isTrue();
    }

    @Test
    void aChannelNoRuleCoversIsDenied() {
        assertThat(access("doc:1", Map.of("sub", "alice"))).isEqualTo(ChannelAccess.DENIED);
        assertThat(access("lobby2", Map.of("sub", "alice")).join()).isFalse();
    }

    @Test
    void aLookupThatIsNotLoadedYetDenies() throws IOException, RulesException {
        LookupStore empty = new LookupStore(LookupLimits.DEFAULT);
        try (RulesEngine other = RulesEngine.start(new RulesOptions(dir, "app", false).withLookups(empty), null)) {
            assertThat(other.current()
                            .channel("group:42", Map.of("sub", "alice"), 0)
                            .join())
                    .isFalse();
            assertThat(other.current().channel("group:42", Map.of("sub", "alice"), 0))
                    .as("a lookup that cannot answer decides nothing about a client already present")
                    .extracting(ChannelAccess::undecided)
                    .isEqualTo(true);
        }
        assertThat(access("group:42", Map.of("sub", "carol")).undecided())
                .as("a lookup that answered no decides")
                .isFalse();
    }

    @Test
    void theJoinConditionsLookupsSayWhomAMembershipChangeConcerns() {
        assertThat(engine.current().channelJoinBindings("group:42"))
                .containsExactly(new LookupBinding(MEMBERSHIPS, Map.of("user_id", "sub")));
        assertThat(engine.current().channelJoinBindings("group:admins"))
                .as("its own rule looks nothing up")
                .isEmpty();
        assertThat(engine.current().channelJoinBindings("doc:1")).isEmpty();
        assertThat(engine.current().channelJoinBindings())
                .as("every channel rule's")
                .containsExactly(new LookupBinding(MEMBERSHIPS, Map.of("user_id", "sub")));
    }

    @Test
    void theChannelRulesLookupsAreDeclaredToTheStore() {
        assertThat(engine.current().lookups())
                .containsExactly(new LookupIndex(MEMBERSHIPS, List.of("group_id", "user_id")));
    }
}
