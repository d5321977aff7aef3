package io.callbackengine.store;

import io.callbackengine.domain.crypto.SecretSealer;
import io.callbackengine.domain.crypto.SecretUnsealException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Proves at start-up that the master key is the one the stored secrets were sealed with, before any request can
 * find out the hard way: the first start seals a known value into {@code engine_settings}; every later start must
 * open it.
 */
public final class MasterKeyCheck {

  private static final String NAME = "master_key_check";
  private static final String ASSOCIATED_DATA = "engine_settings:" + NAME;
  private static final byte[] KNOWN = "callback-engine master key check".getBytes(StandardCharsets.UTF_8);
  private static final String INSERT = """
      insert into engine_settings (name, value) values ($1, $2) on conflict (name) do nothing
      """;
  private static final String SELECT = """
      select value from engine_settings where name = $1
      """;

  private final Pool pool;
  private final SecretSealer sealer;

  public MasterKeyCheck(Pool pool, SecretSealer sealer) {
    this.pool = pool;
    this.sealer = sealer;
  }

  /** Fails with {@link WrongMasterKeyException} when the stored check value does not open with this key. */
  public Future<Void> verify() {
    return pool.preparedQuery(INSERT)
        .execute(Tuple.of(NAME, Buffer.buffer(sealer.seal(KNOWN, ASSOCIATED_DATA))))
        .compose(inserted -> pool.preparedQuery(SELECT).execute(Tuple.of(NAME)))
        .compose(rows -> {
          byte[] sealed = rows.iterator().next().getBuffer(0).getBytes();
          try {
            return Arrays.equals(sealer.open(sealed, ASSOCIATED_DATA), KNOWN)
                ? Future.succeededFuture()
                : Future.failedFuture(new WrongMasterKeyException());
          } catch (SecretUnsealException e) {
            return Future.failedFuture(new WrongMasterKeyException());
          }
        });
  }

  /** The configured master key is not the one this database's secrets were sealed with. */
  public static final class WrongMasterKeyException extends RuntimeException {
    WrongMasterKeyException() {
      super("the master key cannot decrypt the secrets stored in this database: start with the key they were "
          + "sealed with (CALLBACK_MASTER_KEY or the key file in the data directory)", null, false, false);
    }
  }
}
