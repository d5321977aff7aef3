package io.callbackengine.store.delivery;

import io.callbackengine.store.DatabaseSettings;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * Counts the live dispatcher processes of this engine's schema: each holds one wake-up listener connection named
 * {@link DatabaseSettings#roleApplicationName(String) for the dispatcher role}, and PostgreSQL drops the connection of a
 * process that died. Used to share a profile's rate limit between the processes (API.md §14).
 */
public final class DispatcherCensus {

  public static final String ROLE = "dispatcher";
  private static final String COUNT = "select count(*) from pg_stat_activity where application_name = $1";

  private final Pool pool;
  private final String applicationName;

  public DispatcherCensus(Pool pool, DatabaseSettings database) {
    this.pool = pool;
    this.applicationName = database.roleApplicationName(ROLE);
  }

  /** The number of dispatcher processes listening now (0 while none is connected). */
  public Future<Integer> count() {
    return pool.preparedQuery(COUNT).execute(Tuple.of(applicationName))
        .map(rows -> rows.iterator().next().getLong(0).intValue());
  }
}
