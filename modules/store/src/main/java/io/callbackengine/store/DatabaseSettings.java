package io.callbackengine.store;

import io.vertx.pgclient.PgConnectOptions;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the engine's tables live: a PostgreSQL URL ({@code postgresql://user:password@host:port/database}), the
 * schema of its own (so it never collides with other tables in the database) and the connection pool size.
 * {@link #toString()} leaves the password out.
 */
public record DatabaseSettings(String url, String schema, int poolSize) {

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  public DatabaseSettings {
    Objects.requireNonNull(url, "url");
    if (!IDENTIFIER.matcher(schema).matches()) {
      throw new IllegalArgumentException("database schema must be a lower-case SQL identifier, not '" + schema + "'");
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("database pool size must be at least 1");
    }
    connectOptions(url, schema); // fails early on a URL the driver cannot read
  }

  public PgConnectOptions connectOptions() {
    return connectOptions(url, schema);
  }

  private static PgConnectOptions connectOptions(String url, String schema) {
    PgConnectOptions options;
    try {
      options = PgConnectOptions.fromUri(url);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("database url is not a postgresql:// URL: " + redacted(url));
    }
    return options
        .setProperties(Map.of("search_path", schema, "application_name", "callback-engine"))
        .setCachePreparedStatements(true)
        .setPipeliningLimit(256)
        .setReconnectAttempts(0);
  }

  /** The JDBC URL Flyway uses once at start-up, with user and password passed apart. */
  public String jdbcUrl() {
    PgConnectOptions o = connectOptions();
    return "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
  }

  /** The URL as it may be shown in a log line or an error: no password. */
  public String displayUrl() {
    PgConnectOptions o = connectOptions();
    return "postgresql://" + o.getUser() + "@" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase();
  }

  private static String redacted(String url) {
    return url.replaceAll("//([^:/@]*):[^@/]*@", "//$1:***@");
  }

  @Override
  public String toString() {
    return "DatabaseSettings[" + displayUrl() + ", schema=" + schema + ", poolSize=" + poolSize + "]";
  }
}
