package io.callbackengine.store;

import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the engine's tables live and how it talks to them: a PostgreSQL URL
 * ({@code postgresql://user:password@host:port/database}), the schema of its own (so it never collides with other
 * tables in the database), the pool size, and the deadlines that keep a dead or silent database from holding
 * requests: opening a connection ({@code connectTimeout}), waiting for a free one ({@code poolWait}) and hearing
 * nothing back on one ({@code socketTimeout}). {@link #toString()} leaves the password out.
 */
public record DatabaseSettings(String url, String schema, int poolSize, Duration connectTimeout, Duration poolWait,
    Duration socketTimeout) {

  /**
   * How long a pooled connection may stay idle before the pool closes it: long enough that a quiet spell between
   * bursts costs no new backends, as with HikariCP's default; see {@link PoolHeartbeat}.
   */
  public static final Duration IDLE_RETIREMENT = Duration.ofMinutes(10);
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  /** PostgreSQL keeps at most 63 bytes of an application name. */
  private static final int APPLICATION_NAME_LIMIT = 63;

  public DatabaseSettings {
    Objects.requireNonNull(url, "url");
    if (!IDENTIFIER.matcher(schema).matches()) {
      throw new IllegalArgumentException("database schema must be a lower-case SQL identifier, not '" + schema + "'");
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("database pool size must be at least 1");
    }
    requirePositive(connectTimeout, "CALLBACK_DATABASE_CONNECT_TIMEOUT");
    requirePositive(poolWait, "CALLBACK_DATABASE_POOL_WAIT");
    requirePositive(socketTimeout, "CALLBACK_DATABASE_SOCKET_TIMEOUT");
    if (socketTimeout.toMillis() < 200) {
      throw new IllegalArgumentException("CALLBACK_DATABASE_SOCKET_TIMEOUT must be at least 200ms");
    }
    connectOptions(url, schema, socketTimeout); // fails early on a URL the driver cannot read
  }

  public PgConnectOptions connectOptions() {
    return connectOptions(url, schema, socketTimeout);
  }

  /**
   * As {@link #connectOptions()}, for the connections that work the delivery queue (the dispatcher's pool): they plan
   * no sequential scan of a table an index can serve ({@code enable_seqscan} off). A connection plans a statement once
   * (see below), for the tables' sizes at that moment, and keeps the plan until a vacuum or a change of the tables
   * makes it plan again. The queue is often empty then (after a quiet spell, or the benchmark's vacuum before each
   * phase), and a claim planned so read and sorted the whole queue on every run: 20 ms a claim with 50,000 retries
   * waiting, against 0.1 ms by the queue's index (README, Performance). Every statement on the queue finds its rows
   * by a key or reads an index in its order; one with no index to use still scans the table.
   */
  public PgConnectOptions queueConnectOptions() {
    return connectOptionsWith("enable_seqscan", "off");
  }

  /** As {@link #connectOptions()}, the connection named for one role: {@link #roleApplicationName(String)}. */
  public PgConnectOptions connectOptions(String role) {
    return connectOptionsWith("application_name", roleApplicationName(role));
  }

  private PgConnectOptions connectOptionsWith(String parameter, String value) {
    PgConnectOptions options = connectOptions();
    Map<String, String> properties = new HashMap<>(options.getProperties());
    properties.put(parameter, value);
    return options.setProperties(properties);
  }

  /**
   * The name of the one connection of a process that plays {@code role} ({@code dispatcher}: the wake-up listener
   * of each dispatcher), {@code callback-engine/<schema>/<role>}, so the processes playing it can be counted.
   */
  public String roleApplicationName(String role) {
    String suffix = "/" + role;
    String name = "callback-engine/" + schema;
    int room = APPLICATION_NAME_LIMIT - suffix.length();
    return (name.length() <= room ? name : name.substring(0, room)) + suffix;
  }

  /**
   * The name every connection of this engine shows in {@code pg_stat_activity}: {@code callback-engine/<schema>}, so
   * an operator can tell the backends of engines sharing one database apart.
   */
  public String applicationName() {
    return applicationName(schema);
  }

  private static String applicationName(String schema) {
    String name = "callback-engine/" + schema;
    return name.length() <= APPLICATION_NAME_LIMIT ? name : name.substring(0, APPLICATION_NAME_LIMIT);
  }

  /**
   * Every connection names itself, works in the engine's schema, and asks the server to end a transaction left idle
   * longer than the socket timeout: a transaction whose client was cut off mid-way (a network partition) would
   * otherwise hold its row locks until the server notices the dead peer, which can take hours.
   *
   * <p>Every connection runs its statements' generic plans, planned once per connection and kept ({@code
   * plan_cache_mode}). Left to choose, PostgreSQL plans a statement's first five runs for their parameters, then keeps
   * custom plans for good when those runs were cheaper than the generic plan's estimate, as small first runs are (a
   * quiet start, one event per publish): each run is then planned anew. In one benchmark run at 7,000 deliveries/s a
   * connection did so, and planning was a quarter of PostgreSQL's CPU (README, Performance, twelfth session). No
   * statement of the engine has a parameter whose value changes its best plan: arrays are unnested and joined by
   * key, look-ups go by an account, profile or delivery id (the listings' optional filters, {@code $3 is null or
   * status = $3}, only narrow what that index finds), and retention's statements over a time range scan a partition
   * whatever the range.
   *
   * <p>And none is compiled to machine code ({@code jit} off). A generic plan does not know a {@code LIMIT $n}, so
   * the claim's is costed as reading the whole queue: with 60,000 deliveries queued that passed PostgreSQL's JIT
   * threshold, and each claim spent 120 ms compiling to read 192 rows in under a millisecond. No statement of the
   * engine runs long enough for compiled code to pay for its compilation.
   */
  private static PgConnectOptions connectOptions(String url, String schema, Duration socketTimeout) {
    PgConnectOptions options;
    try {
      options = PgConnectOptions.fromUri(url);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("database url is not a postgresql:// URL: " + redacted(url));
    }
    return options
        .setProperties(Map.of("search_path", schema, "application_name", applicationName(schema),
            "idle_in_transaction_session_timeout", Long.toString(socketTimeout.toMillis()),
            "plan_cache_mode", "force_generic_plan", "jit", "off"))
        .setCachePreparedStatements(true)
        // Every statement is kept prepared, whatever its length: the driver's default keeps only those under 2,048
        // characters, which left out the two that run most (publish and finish), so PostgreSQL parsed and planned
        // them anew on every run, a fifth of its CPU at 2,000 deliveries/s.
        .setPreparedStatementCacheSqlFilter(sql -> true)
        .setPipeliningLimit(256)
        .setReconnectAttempts(0);
  }

  /**
   * The socket side of every connection: a TCP connect gives up after {@code connectTimeout}, and a connection on
   * which nothing arrives for {@code socketTimeout} is closed, failing the statement it carried. That bounds a
   * statement (or a start-up handshake) on a connection whose server went silent, which the driver alone would wait
   * on forever. An idle pooled connection hears a heartbeat more often than this ({@link PoolHeartbeat}).
   */
  public NetClientOptions netClientOptions() {
    return new NetClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
        .setReadIdleTimeout((int) Math.min(Integer.MAX_VALUE, socketTimeout.toMillis()))
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setTcpKeepAlive(true);
  }

  /**
   * The pool: {@code poolSize} connections; a request waits at most {@code poolWait} for one, and at most 1000
   * requests wait at once (more fail at once rather than pile up). Connections idle for {@link #IDLE_RETIREMENT} are
   * closed by the pool; until then {@link PoolHeartbeat} keeps them hearing from the server, so the socket timeout
   * only fires on a connection whose server went silent.
   */
  public PoolOptions poolOptions() {
    return poolOptions("callback-engine", poolSize);
  }

  /** As {@link #poolOptions()}, for a pool of its own: the dispatcher's, the health check's. */
  public PoolOptions poolOptions(String name, int size) {
    return new PoolOptions()
        .setMaxSize(size)
        .setName(name)
        .setMaxWaitQueueSize(1000)
        .setConnectionTimeout((int) Math.max(1, poolWait.toMillis()))
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
        .setIdleTimeout((int) IDLE_RETIREMENT.toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setPoolCleanerPeriod((int) Math.max(100, Math.min(1000, socketTimeout.toMillis() / 4)));
  }

  private static void requirePositive(Duration value, String name) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration");
    }
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
    return "DatabaseSettings[" + displayUrl() + ", schema=" + schema + ", poolSize=" + poolSize + ", connectTimeout="
        + connectTimeout + ", poolWait=" + poolWait + ", socketTimeout=" + socketTimeout + "]";
  }
}
