package io.callbackengine.store.account;

/**
 * How API processes learn that a key was revoked, so that they drop the keys they remember: a PostgreSQL NOTIFY,
 * sent by the revoking statement and delivered when it commits, on a channel per schema. It carries no payload: a
 * key, even hashed, never travels on it.
 */
public final class KeyRevocations {

  private KeyRevocations() {
  }

  public static String channel(String schema) {
    return "callback_keys_" + schema;
  }
}
