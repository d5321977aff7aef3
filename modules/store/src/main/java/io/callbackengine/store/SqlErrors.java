package io.callbackengine.store;

import io.vertx.pgclient.PgException;

/** SQLSTATE checks the stores use to turn database errors into domain answers. */
public final class SqlErrors {

  private SqlErrors() {
  }

  public static boolean isUniqueViolation(Throwable error, String constraint) {
    return error instanceof PgException pg && "23505".equals(pg.getSqlState())
        && (constraint == null || constraint.equals(pg.getConstraint()));
  }

  public static boolean isForeignKeyViolation(Throwable error) {
    return error instanceof PgException pg && "23503".equals(pg.getSqlState());
  }
}
