package io.callbackengine.store.profile;

/**
 * How processes learn that a profile changed, so that they forget what they remember of it: a PostgreSQL NOTIFY
 * with the profile id, sent by a trigger whenever a profile's revision changes (V3 migration), on commit, on a
 * channel per schema.
 */
public final class ProfileChanges {

  private ProfileChanges() {
  }

  public static String channel(String schema) {
    return "callback_profiles_" + schema;
  }
}
