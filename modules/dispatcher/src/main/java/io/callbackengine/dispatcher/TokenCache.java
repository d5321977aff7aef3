package io.callbackengine.dispatcher;

import io.callbackengine.domain.profile.CallbackAuth;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OAuth2 tokens a dispatcher holds, one per profile: reused while {@linkplain BearerToken#usableAt usable},
 * fetched once however many callbacks wait for it (they share the one request), and fetched anew when the profile's
 * {@code auth} changed (a changed profile reaches every process at its next delivery, by revision) or a receiver
 * refused the token. Least recently used entries go first. Used from one event loop only.
 */
final class TokenCache {

  /** Where tokens come from: {@link TokenClient}. */
  @FunctionalInterface
  interface TokenSource {
    /** A fresh token within {@code timeout} (after connecting), or a failed future (a {@link TokenFailure} says why). */
    Future<BearerToken> fetch(CallbackAuth.OAuth2 auth, java.time.Duration timeout);
  }

  /** The token for one profile's auth: obtained, or being fetched. */
  private record Entry(CallbackAuth.OAuth2 auth, BearerToken token, Future<BearerToken> pending) {
  }

  private final TokenSource client;
  private final Clock clock;
  private final Map<String, Entry> entries;

  TokenCache(TokenSource client, Clock clock, int capacity) {
    this.client = client;
    this.clock = clock;
    this.entries = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > capacity;
      }
    };
  }

  /**
   * A usable token for {@code profileId}, whose auth is {@code auth}; one fetched now must come within
   * {@code timeout} (callbacks that join a fetch already running wait for it as it is).
   */
  Future<BearerToken> token(String profileId, CallbackAuth.OAuth2 auth, java.time.Duration timeout) {
    Entry entry = entries.get(profileId);
    if (entry != null && entry.auth().equals(auth)) {
      if (entry.pending() != null) {
        return entry.pending();
      }
      if (entry.token().usableAt(clock.instant())) {
        return Future.succeededFuture(entry.token());
      }
    }
    Future<BearerToken> fetching = client.fetch(auth, timeout);
    if (fetching.isComplete()) {
      settle(profileId, auth, fetching);
      return fetching;
    }
    entries.put(profileId, new Entry(auth, null, fetching));
    fetching.onComplete(done -> {
      Entry current = entries.get(profileId);
      if (current != null && current.pending() == fetching) {
        settle(profileId, auth, fetching);
      }
    });
    return fetching;
  }

  /** Drops {@code refused} after a receiver answered 401 to it, unless a newer token already replaced it. */
  void refused(String profileId, BearerToken refused) {
    Entry entry = entries.get(profileId);
    if (entry != null && entry.token() == refused) {
      entries.remove(profileId);
    }
  }

  /** Drops whatever is held for a profile that no longer has OAuth2 auth. */
  void forget(String profileId) {
    entries.remove(profileId);
  }

  private void settle(String profileId, CallbackAuth.OAuth2 auth, Future<BearerToken> fetched) {
    if (fetched.succeeded()) {
      entries.put(profileId, new Entry(auth, fetched.result(), null));
    } else {
      entries.remove(profileId);
    }
  }
}
