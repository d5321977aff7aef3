package io.callbackengine.store;

/**
 * The database could not be reached or could not take the statement now (see {@link SqlErrors#isUnavailable}), as
 * opposed to refusing it: retrying later can succeed. Stores fail with it instead of the driver's exceptions, so that
 * callers answer "unavailable" without knowing SQL.
 */
public final class StoreUnavailableException extends RuntimeException {

  public StoreUnavailableException(Throwable cause) {
    super("the database is not reachable: " + cause.getClass().getSimpleName(), cause);
  }
}
