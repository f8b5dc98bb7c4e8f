package io.undercurrent.ingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.ingest.MisconfiguredSourceException;
import io.undercurrent.ingest.RetriableSourceException;
import java.sql.SQLException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.connect.errors.ConnectException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

    @Test
    void networkAndUnknownFailuresAreRetriable() {
        assertThat(FailureClassifier.classify(
                        new SQLException("refused", "08001", 0, new java.net.ConnectException("Connection refused"))))
                .isInstanceOf(RetriableSourceException.class);
        assertThat(FailureClassifier.classify(new TimeoutException("Kafka did not answer")))
                .isInstanceOf(RetriableSourceException.class);
        assertThat(FailureClassifier.classify(new IllegalStateException("something new")))
                .isInstanceOf(RetriableSourceException.class);
    }

    @Test
    void refusedLoginsMissingDatabasesAndPrivilegesNeedAction() {
        assertThat(FailureClassifier.classify(new SQLException("password authentication failed", "28P01")))
                .isInstanceOf(MisconfiguredSourceException.class)
                .hasMessageContaining("check the source's user and password");
        assertThat(FailureClassifier.classify(new SQLException("database \"nope\" does not exist", "3D000")))
                .hasMessageContaining("database does not exist");
        assertThat(FailureClassifier.classify(new SQLException("permission denied", "42501")))
                .isInstanceOf(MisconfiguredSourceException.class);
        assertThat(FailureClassifier.classify(
                        new SQLException("logical decoding requires wal_level >= logical", "55000")))
                .hasMessageContaining("wal_level=logical");
        assertThat(FailureClassifier.classify(new SQLException("Access denied for user 'uc'", "28000", 1045)))
                .isInstanceOf(MisconfiguredSourceException.class);
        assertThat(FailureClassifier.classify(new SaslAuthenticationException("bad credentials")))
                .isInstanceOf(MisconfiguredSourceException.class)
                .hasMessageContaining("Kafka refused");
    }

    @Test
    void theCauseChainDecidesAndIsDescribedOnce() {
        Throwable wrapped = new ConnectException(
                "An exception occurred in the change event producer",
                new RuntimeException(
                        "Error while executing initial schema load",
                        new SQLException("Could not find first log file", "HY000", 1236)));

        var failure = FailureClassifier.classify(wrapped);

        assertThat(failure).isInstanceOf(MisconfiguredSourceException.class);
        assertThat(failure.getMessage())
                .startsWith("An exception occurred in the change event producer: Error while executing initial "
                        + "schema load: Could not find first log file. The binlog this source had reached was purged");
    }
}
