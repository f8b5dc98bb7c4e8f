package io.undercurrent.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DemoDatabaseIT {

    static LocalPostgres postgres;
    static String jdbcUrl;

    @BeforeAll
    static void startAndSeed() {
        postgres = LocalPostgres.start(LocalPostgres.Options.defaults());
        postgres.createDatabaseIfMissing("demo");
        jdbcUrl = postgres.jdbcUrl("demo");
        DemoDatabase.seed(jdbcUrl, postgres.user(), postgres.password());
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void seedsBothTablesWithRowsOfAliceAndBobAndFullReplicaIdentity() throws SQLException {
        assertThat(queryLong("select count(*) from public.todos where owner_id in ('alice', 'bob')"))
                .isEqualTo(5);
        assertThat(queryLong("select count(distinct owner_id) from public.projects"))
                .isEqualTo(2);
        assertThat(queryLong("select count(*) from pg_class where oid in ('public.todos'::regclass,"
                        + " 'public.projects'::regclass) and relreplident = 'f'"))
                .isEqualTo(2);
    }

    @Test
    void seedsTheGroupChatWhoseMessagesPointAtGroupsWithMembers() throws SQLException {
        assertThat(queryLong("select count(*) from public.groups")).isEqualTo(2);
        assertThat(queryLong("select count(*) from public.memberships where group_id = 1"))
                .isEqualTo(3);
        // every seeded message is written by a member of its group, so its readers see its author there
        assertThat(queryLong("select count(*) from public.messages m where not exists (select 1 from"
                        + " public.memberships s where s.group_id = m.group_id and s.user_id = m.author_id)"))
                .isZero();
        assertThat(queryLong("select count(*) from public.messages")).isEqualTo(3);
        assertThat(queryLong("select count(*) from pg_class where oid in ('public.groups'::regclass,"
                        + " 'public.memberships'::regclass, 'public.messages'::regclass) and relreplident = 'f'"))
                .isEqualTo(3);
    }

    @Test
    void seedingAgainChangesNothingAndKeepsUserEdits() throws SQLException {
        execute("delete from public.projects where name = 'Open bike maps'");
        long todos = queryLong("select count(*) from public.todos");
        long projects = queryLong("select count(*) from public.projects");

        DemoDatabase.seed(jdbcUrl, postgres.user(), postgres.password());

        assertThat(queryLong("select count(*) from public.todos")).isEqualTo(todos);
        assertThat(queryLong("select count(*) from public.projects")).isEqualTo(projects);
        assertThat(queryLong("select count(*) from pg_event_trigger where evtname = '"
                        + DemoDatabase.REPLICA_IDENTITY_TRIGGER + "'"))
                .isEqualTo(1);
    }

    @Test
    void tablesCreatedLaterInPublicGetFullReplicaIdentity() throws SQLException {
        execute("create table public.later(id int primary key, body text)");
        execute("create table public.later_copy as select * from public.todos");
        execute("create schema if not exists other");
        execute("create table other.elsewhere(id int primary key)");

        assertThat(replicaIdentity("public.later")).isEqualTo("f");
        assertThat(replicaIdentity("public.later_copy")).isEqualTo("f");
        assertThat(replicaIdentity("other.elsewhere")).isEqualTo("d");
    }

    @Test
    void anAlterTableIsLeftAlone() throws SQLException {
        execute("create table public.altered(id int primary key)");
        execute("alter table public.altered replica identity default");
        execute("alter table public.altered add column note text");

        assertThat(replicaIdentity("public.altered")).isEqualTo("d");
    }

    private static String replicaIdentity(String table) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("select relreplident from pg_class where oid = '" + table + "'::regclass")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long queryLong(String sql) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, postgres.user(), postgres.password());
    }
}
