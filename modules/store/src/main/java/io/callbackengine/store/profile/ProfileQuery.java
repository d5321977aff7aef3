package io.callbackengine.store.profile;

/**
 * A page of an account's profiles, filtered. Null filters match everything.
 *
 * @param title a case-insensitive substring of the title
 * @param event an event name the profile's events contain
 */
public record ProfileQuery(String title, Integer status, String channel, String event, int limit, int offset) {
}
