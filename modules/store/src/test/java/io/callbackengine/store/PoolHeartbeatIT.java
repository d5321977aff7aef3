package io.callbackengine.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An idle pooled connection outlives the socket timeout while the process's heartbeat reaches it, so the first request
 * after a quiet spell finds its backend still there; without the heartbeat the socket timeout closes it, as it closes
 * a connection whose server went silent.
 */
class PoolHeartbeatIT {

  private static final String URL = System.getenv().getOrDefault("CALLBACK_TEST_DATABASE_URL",
      "postgresql://postgres@127.0.0.1:5432/postgres");
  /** Short, so an idle connection without the heartbeat is closed within a second. */
  private static final Duration SOCKET_TIMEOUT = Duration.ofMillis(500);

  private final DatabaseSettings settings = new DatabaseSettings(URL, "public", 1, Duration.ofSeconds(3),
      Duration.ofSeconds(5), SOCKET_TIMEOUT);
  /** The same, on another schema: its connections listen on another channel, so they do not hear this heartbeat. */
  private final DatabaseSettings otherSchema = new DatabaseSettings(URL, "heartbeat_other", 1, Duration.ofSeconds(3),
      Duration.ofSeconds(5), SOCKET_TIMEOUT);
  private Vertx vertx;
  /** Reads {@code pg_stat_activity}: a pool of its own, without the socket timeout, so it never idles out. */
  private Pool observer;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    observer = PgBuilder.pool().connectingTo(settings.connectOptions()).using(vertx).build();
  }

  @AfterEach
  void close() throws Exception {
    join(observer.close());
    join(vertx.close());
  }

  @Test
  void anIdleConnectionKeepsItsBackendWhileTheHeartbeatBeats() throws Exception {
    Pool beating = enginePool(settings);
    Pool silent = enginePool(otherSchema);
    PoolHeartbeat.start(vertx, beating, settings);
    int kept = backend(beating);
    int control = backend(silent);

    // Both idle; once the socket timeout has closed the one that hears no heartbeat, it has had its chance here too.
    join(gone(control));

    assertThat(backend(beating)).isEqualTo(kept);
  }

  @Test
  void withoutTheHeartbeatTheSocketTimeoutClosesAnIdleConnection() throws Exception {
    Pool silent = enginePool(settings);
    int before = backend(silent);

    join(gone(before));

    assertThat(backend(silent)).isNotEqualTo(before);
  }

  /** A pool built as the engine builds its pools: one connection, the socket timeout, listening for the heartbeat. */
  private Pool enginePool(DatabaseSettings settings) {
    return PgBuilder.pool()
        .with(settings.poolOptions("heartbeat-test", 1))
        .with(settings.netClientOptions())
        .withConnectHandler(PoolHeartbeat.onConnect(settings.schema()))
        .connectingTo(settings.connectOptions())
        .using(vertx)
        .build();
  }

  /** The process id of the backend that answers a query on {@code pool} now: a new one for each new connection. */
  private static int backend(Pool pool) throws Exception {
    return join(pool.query("select pg_backend_pid()").execute()).iterator().next().getInteger(0);
  }

  /** Completes once backend {@code pid} has ended (its connection closed), looking every 50 ms. */
  private Future<Void> gone(int pid) {
    return observer.preparedQuery("select count(*) from pg_stat_activity where pid = $1").execute(Tuple.of(pid))
        .compose(rows -> rows.iterator().next().getLong(0) == 0 ? Future.succeededFuture()
            : vertx.timer(50).compose(waited -> gone(pid)));
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
