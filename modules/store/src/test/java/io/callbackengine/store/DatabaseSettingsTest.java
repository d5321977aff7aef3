package io.callbackengine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The deadlines that keep a dead or silent database from holding the engine, as the driver receives them. */
class DatabaseSettingsTest {

  private static DatabaseSettings settings(String schema, Duration socketTimeout) {
    return new DatabaseSettings("postgresql://app:secret@db.example:6543/engine", schema, 16, Duration.ofSeconds(3),
        Duration.ofSeconds(2), socketTimeout);
  }

  @Test
  void connectionsNameTheirSchemaAndBoundIdleTransactions() {
    DatabaseSettings settings = settings("callback_engine", Duration.ofSeconds(10));
    assertThat(settings.connectOptions().getProperties())
        .containsEntry("application_name", "callback-engine/callback_engine")
        .containsEntry("search_path", "callback_engine")
        .containsEntry("idle_in_transaction_session_timeout", "10000");
    assertThat(settings.applicationName()).isEqualTo("callback-engine/callback_engine");
    assertThat(settings(("s" + "x".repeat(62)), Duration.ofSeconds(10)).applicationName()).hasSize(63);
  }

  @Test
  void everyStatementStaysPreparedHoweverLongItsText() {
    // Publish and finish are some 4,000 characters: under the driver's default they were parsed and planned anew
    // on every run.
    PgConnectOptions options = settings("callback_engine", Duration.ofSeconds(10)).connectOptions();
    assertThat(options.getCachePreparedStatements()).isTrue();
    assertThat(options.getPreparedStatementCacheSqlFilter().test("select 1 where true" + " and true".repeat(2_000)))
        .isTrue();
  }

  @Test
  void socketAndPoolTimeoutsComeFromTheSettings() {
    DatabaseSettings settings = settings("callback_engine", Duration.ofSeconds(10));
    NetClientOptions net = settings.netClientOptions();
    assertThat(net.getConnectTimeout()).isEqualTo(3000);
    assertThat(net.getReadIdleTimeout()).isEqualTo(10_000);
    assertThat(net.getIdleTimeoutUnit()).isEqualTo(TimeUnit.MILLISECONDS);
    PoolOptions pool = settings.poolOptions();
    assertThat(pool.getConnectionTimeout()).isEqualTo(2000);
    assertThat(pool.getConnectionTimeoutUnit()).isEqualTo(TimeUnit.MILLISECONDS);
    assertThat(pool.getMaxWaitQueueSize()).isEqualTo(1000);
    // An idle pooled connection stays for minutes (PoolHeartbeat keeps it hearing from the server), not for half the
    // socket timeout: a quiet spell of a few seconds no longer costs every burst new backends.
    assertThat(pool.getIdleTimeout()).isEqualTo(600_000);
    assertThat(pool.getIdleTimeoutUnit()).isEqualTo(TimeUnit.MILLISECONDS);
  }

  @Test
  void refusesTimeoutsThatCannotWork() {
    assertThatThrownBy(() -> settings("callback_engine", Duration.ofMillis(100)))
        .hasMessageContaining("CALLBACK_DATABASE_SOCKET_TIMEOUT");
    assertThatThrownBy(() -> new DatabaseSettings("postgresql://db/engine", "callback_engine", 4, Duration.ZERO,
        Duration.ofSeconds(2), Duration.ofSeconds(10))).hasMessageContaining("CALLBACK_DATABASE_CONNECT_TIMEOUT");
  }

  @Test
  void neverShowsThePassword() {
    assertThat(settings("callback_engine", Duration.ofSeconds(10)).toString()).doesNotContain("secret");
  }
}
