package dev.gantry.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Encrypted provider API keys, one per provider name. Blocking JDBC. This class only stores
 * ciphertext; encrypting and decrypting is the caller's, with the master key.
 */
public final class ProviderSecretRepository {
    private static final String SELECT = "SELECT provider, ciphertext, updated_at FROM provider_secrets";

    private final DataSource ds;

    public ProviderSecretRepository(DataSource ds) { this.ds = ds; }

    /** Stores the provider's secret, replacing the one it had. */
    public void put(String provider, String ciphertext, Instant at) {
        Jdbc.transaction(ds, "store secret of " + provider, c -> {
            if (replace(c, provider, ciphertext, at)) return null;
            try {
                Jdbc.update(c, "INSERT INTO provider_secrets (provider, ciphertext, updated_at) VALUES (?, ?, ?)",
                        List.of(provider, ciphertext, at));
            } catch (SQLException e) {
                // another replica inserted it between our update and insert: theirs and ours are
                // both a write of a new value, and the later one wins as if it had come later
                if (!Jdbc.isUniqueViolation(e)) throw e;
                c.rollback();
                replace(c, provider, ciphertext, at);
            }
            return null;
        });
    }

    public Optional<ProviderSecret> find(String provider) {
        return query(SELECT + " WHERE provider = ?", List.of(provider)).stream().findFirst();
    }

    /**
     * Every stored secret, by provider name. Not paginated: there is one per configured provider,
     * and start-up needs them all to check that the master key opens them.
     */
    public List<ProviderSecret> list() {
        return query(SELECT + " ORDER BY provider", List.of());
    }

    /** Forgets the provider's secret; false if it had none. */
    public boolean delete(String provider) {
        return Jdbc.run(ds, "delete secret of " + provider,
                c -> Jdbc.update(c, "DELETE FROM provider_secrets WHERE provider = ?", List.of(provider))) == 1;
    }

    private static boolean replace(Connection c, String provider, String ciphertext, Instant at) throws SQLException {
        return Jdbc.update(c, "UPDATE provider_secrets SET ciphertext = ?, updated_at = ? WHERE provider = ?",
                List.of(ciphertext, at, provider)) == 1;
    }

    private List<ProviderSecret> query(String sql, List<?> params) {
        return Jdbc.run(ds, "query provider secrets", c -> Jdbc.query(c, sql, params, ProviderSecretRepository::read));
    }

    private static ProviderSecret read(ResultSet rs) throws SQLException {
        return new ProviderSecret(rs.getString("provider"), rs.getString("ciphertext"), Jdbc.instant(rs, "updated_at"));
    }
}
