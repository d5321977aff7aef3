package io.callbackengine.dispatcher;

import io.callbackengine.domain.profile.CallbackProfile;
import io.callbackengine.store.delivery.ClaimedDelivery;
import io.callbackengine.store.profile.ProfileStore;
import io.callbackengine.store.profile.VersionedProfile;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The profiles a dispatcher sends for, with their secrets opened, kept by revision: every claim says which revision
 * each delivery's profile has now, so a profile changed anywhere is loaded again on its next delivery, and an
 * unchanged one costs no query. Least recently used entries go first. Used from one event loop only.
 */
final class ProfileCache {

  private final ProfileStore store;
  private final Map<String, VersionedProfile> profiles;

  ProfileCache(ProfileStore store, int capacity) {
    this.store = store;
    this.profiles = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, VersionedProfile> eldest) {
        return size() > capacity;
      }
    };
  }

  /** Makes sure every claimed delivery's profile is here at its current revision. */
  Future<Void> load(List<ClaimedDelivery> claimed) {
    // A loop, not a stream: this runs for every batch a publish hands over (a stream here was 1 % of the engine).
    Set<String> stale = new LinkedHashSet<>();
    for (ClaimedDelivery d : claimed) {
      VersionedProfile cached = profiles.get(d.profileId());
      if (cached == null || cached.revision() != d.profileRevision()) {
        stale.add(d.profileId());
      }
    }
    if (stale.isEmpty()) {
      return Future.succeededFuture();
    }
    return store.findForDispatch(List.copyOf(stale)).map(loaded -> {
      loaded.forEach(p -> profiles.put(p.profile().id(), p));
      return null;
    });
  }

  Optional<CallbackProfile> get(String profileId) {
    return Optional.ofNullable(profiles.get(profileId)).map(VersionedProfile::profile);
  }
}
