package io.undercurrent.rules.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.rules.RuleProblem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Channel rules are validated at load like table rules: every problem at once, at file:line:col. */
class ChannelRuleValidationTest {

    @TempDir
    Path dir;

    private List<String> problems() {
        return TestRules.load(dir).problems().stream()
                .map(RuleProblem::toString)
                .toList();
    }

    private String at(String file, int line, int column) {
        return dir.resolve(file) + ":" + line + ":" + column + ": ";
    }

    @Test
    void reportsEveryProblemOfAChannelRuleWithItsPlace() {
        TestRules.write(dir, "channels.yaml", """
        channel: "group:*"
        join: "row.group_id == channel.id"
        publish: "channel.owner == auth.sub"
        presense: [sub]
        """);
        assertThat(problems())
                .containsExactly(
                        at("channels.yaml", 2, 8)
                                + "a channel rule has no 'row'; it sees auth, channel (channel.name, channel.id) and now",
                        at("channels.yaml", 3, 19)
                                + "a channel has only 'name' (e.g. group:42) and 'id' (what the * of the rule matched,"
                                + " e.g. 42): write channel.name or channel.id",
                        at("channels.yaml", 4, 1)
                                + "unknown key 'presense'; did you mean 'presence'? (the keys are channel, source,"
                                + " lookups, join, publish, presence, description)");
    }

    @Test
    void aChannelRuleNeedsJoinAndAValidPattern() {
        TestRules.write(dir, "a.yaml", """
        channel: "group 42*"
        presence: sub
        """);
        assertThat(problems())
                .containsExactly(
                        at("a.yaml", 1, 1)
                                + "missing 'join': say who may join the channel, e.g. join: \"auth != null\"",
                        at("a.yaml", 1, 10)
                                + "channel 'group 42*' is not a channel name or pattern: write a name of 1 to 128"
                                + " letters, digits and _ - . : @ / (e.g. lobby), or such a prefix ending in * for"
                                + " every channel that starts with it (e.g. group:*)",
                        at("a.yaml", 2, 11)
                                + "'presence' lists the claims others see of a client present in the channel,"
                                + " e.g. presence: [sub, name]");
    }

    @Test
    void aPatternHasOneRuleAndItsLookupsAreChecked() {
        TestRules.write(dir, "a.yaml", """
        channel: "group:*"
        lookups:
          member:
            table: public.memberships
            key: [group_id, user_id]
        join: "exists(member, channel.id)"
        ---
        channel: "group:*"
        join: "true"
        """);
        assertThat(problems())
                .containsExactly(
                        at("a.yaml", 6, 8)
                                + "lookup 'member' is keyed by 2 columns (group_id, user_id), so exists(member, ...)"
                                + " takes 2 key values after the name, not 1",
                        at("a.yaml", 8, 10)
                                + "a rule for channel 'group:*' already exists at " + dir.resolve("a.yaml")
                                + ":1:10; a channel pattern has one rule (combine the conditions with ||)");
    }

    @Test
    void channelIsUnknownToTableRules() {
        TestRules.write(dir, "a.yaml", "table: public.todos\nread: \"channel.id == auth.sub\"\n");
        assertThat(problems())
                .containsExactly(at("a.yaml", 2, 8) + "unknown variable 'channel': rules see only auth, row and now");
    }
}
