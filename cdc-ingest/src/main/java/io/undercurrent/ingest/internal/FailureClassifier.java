package io.undercurrent.ingest.internal;

import io.undercurrent.ingest.MisconfiguredSourceException;
import io.undercurrent.ingest.RetriableSourceException;
import io.undercurrent.ingest.SourceException;
import java.sql.SQLException;
import java.util.Set;

/**
 * The one place that decides whether a failure of a source may pass by itself (retried with backoff)
 * or needs someone to act (reported as such and only re-checked now and then). Anything not known to
 * need action is retriable: a wrong guess then costs a few needless retries, never a source that
 * stays down after the database came back.
 */
public final class FailureClassifier {

    // MySQL/MariaDB server error codes that no retry can cure: access denied (1044, 1045, 1698), unknown
    // database (1049), missing privilege (1142, 1227, 1370), binlog position purged (1236).
    private static final Set<Integer> MYSQL_NEEDS_ACTION = Set.of(1044, 1045, 1049, 1142, 1227, 1370, 1698, 1236);

    private FailureClassifier() {}

    /** Classifies any failure of a source; a {@link SourceException} is returned as it is. */
    public static SourceException classify(Throwable failure) {
        if (failure instanceof SourceException known) {
            return known;
        }
        String why = describe(failure);
        String advice = needsAction(failure);
        if (advice != null) {
            return new MisconfiguredSourceException(why + ". " + advice, failure);
        }
        return new RetriableSourceException(why, failure);
    }

    /** What to do when the failure needs action, or null when it may pass by itself. */
    private static String needsAction(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String advice = adviceFor(t);
            if (advice != null) {
                return advice;
            }
        }
        return null;
    }

    private static String adviceFor(Throwable t) {
        if (t instanceof SQLException sql) {
            String state = sql.getSQLState() == null ? "" : sql.getSQLState();
            if (MYSQL_NEEDS_ACTION.contains(sql.getErrorCode()) && !state.startsWith("08")) {
                return sql.getErrorCode() == 1236
                        ? "The binlog this source had reached was purged: give it a new name (or delete its offsets topic) to start again from now, and keep binlogs longer (binlog_expire_logs_seconds)"
                        : "Fix the user, password, database name or privileges in the source's settings (see the cdc-ingest README)";
            }
            if (state.startsWith("28")) {
                return "The database refused the login: check the source's user and password";
            }
            if (state.equals("3D000")) {
                return "The database does not exist: check the source's database name";
            }
            if (state.equals("42501")) {
                return "Grant the missing privilege to the source's user (see the cdc-ingest README for the privileges each database needs)";
            }
            if (state.equals("55000")) {
                return "The database is not set up for change capture (for Postgres: wal_level=logical and a restart)";
            }
        }
        String type = t.getClass().getName();
        if (type.equals("org.apache.kafka.common.errors.AuthenticationException")
                || type.equals("org.apache.kafka.common.errors.SaslAuthenticationException")
                || type.endsWith("AuthorizationException") && type.startsWith("org.apache.kafka.")) {
            return "Kafka refused ingest's client: check the Kafka security settings and ACLs";
        }
        if (type.equals("com.mongodb.MongoSecurityException")) {
            return "MongoDB refused the login: check the credentials in the connection string";
        }
        String message = String.valueOf(t.getMessage());
        if (message.contains("Publication autocreation is disabled")) {
            return "Create the publication (see the cdc-ingest README, least-privilege set-up) or let ingest create it";
        }
        return null;
    }

    /** The failure and its causes in one line, each message once. */
    public static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(
                e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !text.toString().contains(m)) {
                text.append(": ").append(m);
            }
            if (t.getCause() == null) {
                break;
            }
        }
        return text.toString();
    }
}
