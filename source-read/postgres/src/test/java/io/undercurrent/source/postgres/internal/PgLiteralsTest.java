package io.undercurrent.source.postgres.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undercurrent.change.value.CanonicalTemporal;
import org.junit.jupiter.api.Test;

class PgLiteralsTest {

    @Test
    void writesPostgresLiteralsForBcAndLongYears() {
        long bc = CanonicalTemporal.parseTimestamptz("-0043-03-15T12:00:00Z");
        assertThat(PgLiterals.postgresLiteral(bc, false, true)).isEqualTo("0044-03-15 12:00:00.000000+00 BC");
        assertThat(PgLiterals.postgresLiteral(CanonicalTemporal.parseDate("0000-12-31"), true, false))
                .isEqualTo("0001-12-31 BC");
        assertThat(PgLiterals.postgresLiteral(CanonicalTemporal.parseDate("+10000-01-01"), true, false))
                .isEqualTo("10000-01-01");
        assertThat(CanonicalTemporal.formatDate(CanonicalTemporal.parseDate("10000-01-01")))
                .isEqualTo("+10000-01-01");
        assertThat(PgLiterals.postgresLiteral(Long.MIN_VALUE, true, false)).isEqualTo("-infinity");
        assertThat(PgTextValues.isoYear("0044-03-15 12:00:00+00 BC")).isEqualTo("-0043-03-15 12:00:00+00");
        assertThat(PgTextValues.isoYear("0001-01-01 BC")).isEqualTo("0000-01-01");
    }
}
