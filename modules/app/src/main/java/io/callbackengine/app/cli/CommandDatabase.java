package io.callbackengine.app.cli;

import io.callbackengine.app.Database;
import io.callbackengine.store.DatabaseSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.ExecutionException;

/**
 * The database for a command that runs once and exits: a Vert.x of its own, the engine's {@link Database} on it,
 * and blocking waits (a command's thread is not an event loop). Closing it closes the pool and Vert.x.
 */
final class CommandDatabase implements AutoCloseable {

  private final Vertx vertx;
  private final Database database;

  CommandDatabase(DatabaseSettings settings) {
    this.vertx = Vertx.vertx();
    this.database = new Database(vertx, settings);
  }

  /** Applies the pending migrations and answers the schema version now in place. */
  String migrate() throws ExecutionException, InterruptedException {
    return await(database.migrate());
  }

  /** A pool the command closes with this. */
  Pool pool() {
    return database.pool();
  }

  /** Waits for {@code future}; its failure comes out as the cause of an {@link ExecutionException}. */
  <T> T await(Future<T> future) throws ExecutionException, InterruptedException {
    return future.toCompletionStage().toCompletableFuture().get();
  }

  @Override
  public void close() throws ExecutionException, InterruptedException {
    await(vertx.close());
  }
}
