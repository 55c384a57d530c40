package dev.arbor.query.account;

import dev.arbor.api.account.AccountStatus;
import dev.arbor.api.account.AccountView;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.util.Optional;
import java.util.UUID;

/** Reads account views from {@code read_model.account}. */
@Repository
class AccountViews {

    private static final RowMapper<AccountView> ACCOUNT = (rs, row) -> {
        long total = rs.getLong("seats_total");
        long used = rs.getLong("seats_used");
        return new AccountView(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("description"),
                rs.getString("external_id"),
                rs.getObject("parent_id", UUID.class),
                rs.getObject("root_id", UUID.class),
                rs.getInt("depth"),
                AccountStatus.valueOf(rs.getString("status")),
                new AccountView.Seats(total, used, total - used),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(),
                rs.getLong("version"));
    };

    private final JdbcClient jdbc;

    AccountViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<AccountView> find(UUID id) {
        return jdbc.sql("SELECT * FROM read_model.account WHERE id = ?").param(id).query(ACCOUNT).optional();
    }
}
