package io.callbackengine.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

/**
 * The work a statement did, as the server counts it: the rows every node of its plan produced or filtered out, over
 * all its loops ({@code EXPLAIN (ANALYZE, FORMAT JSON)}). A count, not a time: it does not move with the machine's
 * load, and a plan that reads what it should not shows in it at once.
 */
public final class PlanWork {

  private PlanWork() {
  }

  /** Runs {@code explain (analyze, format json, timing off) <statement>} and answers the rows its plan handled. */
  public static Future<Long> of(SqlConnection connection, String statement) {
    return connection.query("explain (analyze, format json, timing off) " + statement).execute().map(rows -> {
      JsonArray plan = new JsonArray(rows.iterator().next().getValue(0).toString());
      return rowsHandled(plan.getJsonObject(0).getJsonObject("Plan"));
    });
  }

  private static long rowsHandled(JsonObject node) {
    long perLoop = node.getLong("Actual Rows", 0L) + node.getLong("Rows Removed by Filter", 0L)
        + node.getLong("Rows Removed by Join Filter", 0L);
    long rows = perLoop * Math.max(1, node.getLong("Actual Loops", 1L));
    JsonArray children = node.getJsonArray("Plans", new JsonArray());
    for (int i = 0; i < children.size(); i++) {
      rows += rowsHandled(children.getJsonObject(i));
    }
    return rows;
  }
}
