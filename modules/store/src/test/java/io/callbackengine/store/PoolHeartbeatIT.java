package io.callbackengine.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
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
  /** Short, so idling for four of them takes two seconds. */
  private static final Duration SOCKET_TIMEOUT = Duration.ofMillis(500);

  private final DatabaseSettings settings = new DatabaseSettings(URL, "public", 1, Duration.ofSeconds(3),
      Duration.ofSeconds(5), SOCKET_TIMEOUT);
  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    pool = PgBuilder.pool()
        .with(settings.poolOptions("heartbeat-test", 1))
        .with(settings.netClientOptions())
        .withConnectHandler(PoolHeartbeat.onConnect(settings.schema()))
        .connectingTo(settings.connectOptions())
        .using(vertx)
        .build();
  }

  @AfterEach
  void close() throws Exception {
    join(pool.close());
    join(vertx.close());
  }

  @Test
  void anIdleConnectionKeepsItsBackendWhileTheHeartbeatBeats() throws Exception {
    PoolHeartbeat.start(vertx, pool, settings);
    int before = backend();

    Thread.sleep(SOCKET_TIMEOUT.multipliedBy(4).toMillis());

    assertThat(backend()).isEqualTo(before);
  }

  @Test
  void withoutTheHeartbeatTheSocketTimeoutClosesAnIdleConnection() throws Exception {
    int before = backend();

    Thread.sleep(SOCKET_TIMEOUT.multipliedBy(4).toMillis());

    assertThat(backend()).isNotEqualTo(before);
  }

  /** The process id of the backend that answers a query now: a new one for each new connection. */
  private int backend() throws Exception {
    return join(pool.query("select pg_backend_pid()").execute()).iterator().next().getInteger(0);
  }

  private static <T> T join(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
