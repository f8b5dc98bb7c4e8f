package io.undercurrent.source.jdbc;

import io.undercurrent.source.ResultTooLargeException;
import io.undercurrent.source.RowGate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A snapshot statement's rows as a reader returns them: each row through the caller's gate, rows
 * the gate refuses skipped, at most {@code limit} admitted, fetched {@code fetchSize} at a time.
 */
public final class GatedRows {
    private GatedRows() {}

    /**
     * Runs {@code select} on {@code connection} (in the caller's transaction) and returns the admitted rows.
     *
     * @throws ResultTooLargeException if more than {@code maxRows} rows are admitted before {@code limit}
     * @throws SQLException            from the driver
     */
    public static List<Map<String, Object>> read(
            Connection connection,
            SqlQuery select,
            int fetchSize,
            ResultRowReader reader,
            RowGate gate,
            int limit,
            int maxRows)
            throws SQLException, ResultTooLargeException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (PreparedStatement st = select.prepare(connection)) {
            st.setFetchSize(fetchSize);
            try (ResultSet rs = st.executeQuery()) {
                while (rows.size() < limit && rs.next()) {
                    Map<String, Object> admitted = gate.admit(reader.read(rs));
                    if (admitted != null) {
                        if (rows.size() >= maxRows) {
                            throw new ResultTooLargeException(maxRows);
                        }
                        rows.add(admitted);
                    }
                }
            }
        }
        return rows;
    }
}
