package io.undercurrent.server.e2e.chaos;

import static org.awaitility.Awaitility.await;

import io.undercurrent.rules.Access;
import io.undercurrent.rules.RuleSet;
import io.undercurrent.rules.TableRef;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One seeded run: a fresh table and rule, concurrent writers, clients joining, leaving, reconnecting,
 * refreshing tokens and subscribing with random queries while the rule is edited and (maybe) one
 * process is killed and restarted; then writes stop and every client must hold what the database
 * holds, filtered by the rules. Every decision comes from the seed; thread timing does not, so a
 * replay repeats the workload, not the interleaving.
 */
final class Scenario {

    /** Which seed, which fault. */
    record Plan(long seed, Fault fault) {
        String label() {
            return "seed 0x" + Long.toHexString(seed) + ", fault " + fault.label();
        }
    }

    /** What a scenario needs from the test. */
    record Environment(
            Cluster cluster,
            Writers.Connections database,
            RulesFolder rules,
            Path scratch,
            String jwtSecret,
            ChaosSettings settings) {}

    /** How a scenario went. */
    record Outcome(Violations violations, String summary, List<String> differences) {
        boolean passed() {
            return !violations.any() && differences.isEmpty();
        }
    }

    private static final Duration QUIESCENCE = Duration.ofSeconds(120);
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final int MAX_CLIENTS = 7;
    private static final int MAX_QUERIES = 3;
    private static final int MAX_RULE_EDITS = 3;

    private final Plan plan;
    private final Environment env;
    private final ChaosTable table;
    private final Random random;
    private final Random reconnects;
    private final Violations violations = new Violations();
    private final Stats stats = new Stats();
    private final VersionLog versions = new VersionLog();
    private final List<ChaosClient> clients = new ArrayList<>();
    private RuleHistory rules;
    private Writers writers;
    private int clientNumber;
    private String faultNote = "";
    private long killedAt;
    private volatile boolean writesStopped;

    Scenario(Plan plan, int number, Environment env) {
        this.plan = plan;
        this.env = env;
        this.table = new ChaosTable("chaos_" + number);
        this.random = new Random(plan.seed());
        this.reconnects = new Random(plan.seed() ^ 0x5DEECE66DL);
    }

    Outcome run() throws Exception {
        long started = System.nanoTime();
        try (Connection db = env.database().open()) {
            table.create(db);
        }
        rules = new RuleHistory(new TableRef("app", table.qualified()), env.scratch());
        editRules();
        writers = new Writers(
                table, env.database(), random.nextLong(), 3, env.settings().writesPerSecond(), versions);
        writers.seed(40);
        try {
            writers.start();
            try {
                for (int i = 0; i < 3; i++) {
                    newClient();
                }
                workload();
            } finally {
                writers.stop();
                writesStopped = true;
            }
            if (!writers.errors().isEmpty()) {
                throw new AssertionError(
                        "a writer failed: " + writers.errors().get(0),
                        writers.errors().get(0));
            }
            long quiet = System.nanoTime();
            List<String> differences = converge();
            checkResumesHappened();
            String summary = String.format(
                    "%s: %d writes (%d deadlocks rolled back); %s%s; converged in %.1f s, %.1f s in all",
                    plan.label(),
                    writers.committed(),
                    writers.rolledBack(),
                    stats,
                    faultNote,
                    (System.nanoTime() - quiet) / 1e9,
                    (System.nanoTime() - started) / 1e9);
            return new Outcome(violations, summary, differences);
        } finally {
            clients.forEach(ChaosClient::close);
        }
    }

    /**
     * Actions, each followed by a few committed writes, for about the configured duration. The fault
     * strikes at a step drawn from the seed, and the process stays down while the writers commit a
     * number of transactions drawn from it too. Every draw from {@link #random} happens whatever the
     * timing (which edges are up, which connections have noticed), so a seed repeats its actions.
     */
    private void workload() throws Exception {
        // a step waits for 7.5 writes on average
        int steps = (int) Math.max(
                10, env.settings().duration().toMillis() * env.settings().writesPerSecond() / 7_500);
        int faultStep = plan.fault() == Fault.NONE ? -1 : steps / 5 + random.nextInt(Math.max(1, steps * 3 / 10));
        int downFor = 20 + random.nextInt(60);
        int victim = random.nextInt(2);
        long restartAt = Long.MAX_VALUE;
        for (int step = 0; step < steps && !violations.any(); step++) {
            maintainClients();
            if (step == faultStep - 1) {
                moveToVictim(victim);
            } else if (step == faultStep) {
                faultNote = "; killed "
                        + env.cluster().kill(plan.fault(), victim).name() + " at step " + step + " of " + steps;
                killedAt = writers.committed();
                restartAt = killedAt + downFor;
            } else if (env.cluster().degraded() && writers.committed() >= restartAt) {
                restart();
            }
            act();
            awaitWrites(2 + random.nextInt(12));
        }
        if (env.cluster().degraded()) {
            restart();
        }
    }

    /**
     * Before an edge is killed, a client that can resume (a query without a window, with a position)
     * moves onto it, so that the kill cuts off live queries that then resume on the other edge. Where
     * the search for one starts is drawn from the seed.
     */
    private void moveToVictim(int victim) {
        int start = random.nextInt(MAX_CLIENTS);
        String url = env.cluster().victimUrl(plan.fault(), victim);
        if (plan.fault() != Fault.EDGE || url == null) {
            return;
        }
        for (int i = 0; i < clients.size(); i++) {
            ChaosClient c = clients.get((start + i) % clients.size());
            if (c.canResume()) {
                if (!c.on(url)) {
                    stats.reconnects.incrementAndGet();
                    c.connect(url);
                }
                return;
            }
        }
    }

    /**
     * Resume is exercised, not just allowed: some query resumed, and when the fault killed the edge
     * clients were on, some query cut off by it asked to resume (each such ask is judged as it is
     * answered: resumed, or reset for a reason that holds).
     */
    private void checkResumesHappened() {
        if (stats.resumed.get() == 0) {
            violations.add(
                    "scenario",
                    "no query resumed (" + stats.resumeAttempts + " asked): resume was not exercised",
                    null,
                    null);
        }
        if ((plan.fault() == Fault.EDGE || plan.fault() == Fault.SERVER)
                && stats.resumedAfterLoss.get() + stats.resumeRefusedAfterLoss.get() == 0) {
            violations.add(
                    "scenario",
                    "no query cut off by the killed edge came back with a resume (" + stats.resumeAttemptsAfterLoss
                            + " asked): resume after a crash was not exercised",
                    null,
                    null);
        }
    }

    private void restart() {
        long t = System.nanoTime();
        long down = writers.committed() - killedAt;
        env.cluster().restart();
        faultNote += String.format(", down for %d writes, restarted in %.1f s", down, (System.nanoTime() - t) / 1e9);
        maintainClients();
    }

    private void act() throws Exception {
        int pick = random.nextInt(100);
        if (pick < 18) {
            if (clients.size() < MAX_CLIENTS) {
                newClient();
            }
        } else if (pick < 38) {
            ChaosClient c = anyClient();
            if (c != null && c.queries().size() < MAX_QUERIES) {
                c.addQuery(QueryShape.random(random));
            }
        } else if (pick < 50) {
            ChaosClient c = anyClient();
            int which = random.nextInt(MAX_QUERIES);
            if (c != null && c.queries().size() > 1) {
                c.unsubscribe(which);
            }
        } else if (pick < 60) {
            ChaosClient c = anyClient();
            String url = anyUrl();
            boolean resume = random.nextInt(4) != 0; // now and then a client forgets where it was
            if (c != null && url != null) {
                stats.reconnects.incrementAndGet();
                c.connect(url, resume);
            }
        } else if (pick < 70) {
            ChaosClient c = anyClient();
            if (c != null) {
                c.refreshToken();
            }
        } else if (pick < 74) {
            int which = random.nextInt(MAX_CLIENTS);
            if (clients.size() > 2) {
                clients.remove(which % clients.size()).close();
            }
        } else if (pick < 79) {
            if (stats.ruleEdits.get() < MAX_RULE_EDITS) {
                editRules();
            }
        } else if (pick < 84) {
            ChaosClient c = anyClient();
            QueryShape shape = QueryShape.random(random);
            if (c != null) {
                c.subscribeAndUnsubscribe(shape);
            }
        } else if (pick < 93) {
            // gone for a while (0.1 to 1.5 s of writes), then back on any edge, resuming
            ChaosClient c = anyClient();
            int away = 5 + random.nextInt(55);
            if (c != null) {
                c.leave(writers.committed() + away);
            }
        }
        // else: let the writers write
    }

    /** A running edge, drawn from the seed even when none runs (the draw keeps later ones in step). */
    private String anyUrl() {
        int pick = random.nextInt(1 << 16);
        List<String> urls = env.cluster().liveUrls();
        return urls.isEmpty() ? null : urls.get(pick % urls.size());
    }

    private ChaosClient anyClient() {
        return clients.isEmpty() ? null : clients.get(random.nextInt(clients.size()));
    }

    private void newClient() {
        Persona persona = Persona.random(random);
        ChaosClient client = new ChaosClient(
                "c" + (++clientNumber),
                persona,
                table.qualified(),
                env.jwtSecret(),
                rules,
                violations,
                stats,
                new ChaosClient.Options(
                        () -> plan.fault() != Fault.NONE, env.settings().transactionFrames()),
                versions);
        int queries = 1 + random.nextInt(2);
        for (int i = 0; i < queries; i++) {
            client.addQuery(QueryShape.random(random));
        }
        clients.add(client);
        stats.clients.incrementAndGet();
        String url = anyUrl();
        if (url != null) {
            client.connect(url);
        }
    }

    /** Writes the next version of the rule (another variant) and waits until every process runs it. */
    private void editRules() throws Exception {
        List<RuleVariant> variants = RuleVariant.ALL;
        int version = rules.written() + 1;
        RuleVariant variant = variants.get(random.nextInt(variants.size()));
        String yaml = variant.yaml(table.qualified(), version % 2 == 1);
        rules.add(variant, yaml);
        env.rules().write(table.name() + ".yaml", yaml, version % 2 == 1 ? 2 : 1);
        if (version > 0) {
            stats.ruleEdits.incrementAndGet();
        }
        env.rules().awaitLoaded(() -> env.cluster().rulesHealthUrls(), STEP);
        rules.confirm();
    }

    /**
     * Reconnects clients whose edge went away, and those back from being away; which edge they pick
     * depends on timing, so it has its own random. Once writes stopped, every client comes back.
     */
    private void maintainClients() {
        List<String> urls = env.cluster().liveUrls();
        long committed = writesStopped ? Long.MAX_VALUE : writers.committed();
        for (ChaosClient c : clients) {
            c.maintain(urls, reconnects, committed);
        }
    }

    private void awaitWrites(int more) {
        long target = writers.committed() + more;
        await("writers commit " + more + " more transactions")
                .atMost(STEP)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> writers.committed() >= target || !writers.errors().isEmpty());
    }

    /** Waits until every client holds exactly what the database and the rules say; returns what still differs. */
    private List<String> converge() throws Exception {
        Map<QueryView, Map<Long, Map<String, Object>>> expected = new LinkedHashMap<>();
        try (Connection db = env.database().open()) {
            for (ChaosClient c : clients) {
                for (QueryView q : c.queries()) {
                    expected.put(q, expected(db, q, c));
                }
            }
        }
        List<String> differences = new ArrayList<>();
        try {
            await("every client converges")
                    .atMost(QUIESCENCE)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        maintainClients();
                        differences.clear();
                        for (ChaosClient c : clients) {
                            if (!c.settled()) {
                                differences.add(c.name() + " is not connected with every query live");
                            }
                            differences.addAll(c.differences(expected).values());
                        }
                        return differences.isEmpty() || violations.any();
                    });
        } catch (ConditionTimeoutException e) {
            // the differences say what never arrived
        }
        return differences;
    }

    /** The query's result computed from the database (SQL written by this test) and the rule in force. */
    private Map<Long, Map<String, Object>> expected(Connection db, QueryView q, ChaosClient c) throws Exception {
        RuleSet ruleSet = rules.version(rules.written());
        Map<String, Object> auth = personaOf(c);
        Map<Long, Map<String, Object>> out = new LinkedHashMap<>();
        try (PreparedStatement st = q.shape().matching(db, table.qualified());
                ResultSet rs = st.executeQuery()) {
            while (rs.next()
                    && (q.shape().limit() == null || out.size() < q.shape().limit())) {
                Map<String, Object> row = Rows.fromJdbc(rs);
                Access access = ruleSet.access(rules.table(), auth, row, System.currentTimeMillis());
                if (access.allowed()) {
                    Map<String, Object> visible = new LinkedHashMap<>();
                    for (String column : q.shape().requested()) {
                        if (column.equals("id") || access.fieldVisible(column)) {
                            visible.put(column, row.get(column));
                        }
                    }
                    out.put((Long) row.get("id"), visible);
                }
            }
        }
        return out;
    }

    private static Map<String, Object> personaOf(ChaosClient c) {
        return c.persona().claims();
    }
}
