package io.callbackengine.api.profile;

import io.callbackengine.api.ApiMetrics;
import io.callbackengine.api.NotifiedCache;
import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.domain.problem.Violation;
import io.callbackengine.domain.profile.CallbackProfile;
import io.callbackengine.domain.profile.ProfileInput;
import io.callbackengine.domain.profile.ProfileSpec;
import io.callbackengine.domain.profile.ProfileStatus;
import io.callbackengine.domain.signing.SigningSecret;
import io.callbackengine.store.profile.ProfilePage;
import io.callbackengine.store.profile.ProfileQuery;
import io.callbackengine.store.event.OperationalEvents;
import io.callbackengine.store.profile.ProfileStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The profile registry's use cases: validate, create with a fresh signing secret, read, list, patch, delete and
 * rotate the secret. A profile of another account is answered exactly like one that does not exist.
 *
 * <p>Reads of one profile are served from memory when they can be ({@link NotifiedCache}): every change to a
 * profile, by this API, another process or a dispatcher disabling it, bumps its revision, and a trigger then
 * notifies every process (V3 migration). Changes here forget the profile before they answer, so a client reads its
 * own writes; another process sees them once the notification arrives, milliseconds after the commit. Updates
 * always start from the database, never from memory.
 */
public final class ProfileRegistry {

  /** How long the secret before a rotation keeps signing callbacks, so receivers can roll over. */
  public static final Duration SECRET_OVERLAP = Duration.ofHours(24);

  private final ProfileStore store;
  private final ProfileInput input;
  private final SecureRandom random;
  private final Clock clock;
  private final ApiMetrics metrics;
  private final NotifiedCache<String, Optional<CallbackProfile>> remembered;
  private final OperationalEvents operationalEvents;

  public ProfileRegistry(ProfileStore store, ProfileInput input, SecureRandom random, Clock clock, ApiMetrics metrics,
      NotifiedCache<String, Optional<CallbackProfile>> remembered, OperationalEvents operationalEvents) {
    this.store = store;
    this.operationalEvents = operationalEvents;
    this.remembered = remembered;
    this.input = input;
    this.random = random;
    this.clock = clock;
    this.metrics = metrics;
  }

  public Future<CallbackProfile> create(String sid, JsonObject request) {
    ProfileSpec spec = input.forCreate(request);
    CallbackProfile profile = new CallbackProfile(CallbackProfile.newId(), sid, spec, ProfileStatus.ACTIVE,
        SigningSecret.generate(random), null, null, now(), null);
    return store.insert(profile);
  }

  public Future<CallbackProfile> get(String sid, String profileId) {
    return remembered.get(profileId, id -> store.find(sid, id), Optional::isPresent)
        .compose(found -> found
            .filter(profile -> profile.sid().equals(sid))
            .map(Future::succeededFuture)
            .orElseGet(() -> Future.failedFuture(notFound(profileId))));
  }

  /** The profile as the database has it now: the base of every change. */
  private Future<CallbackProfile> stored(String sid, String profileId) {
    return store.find(sid, profileId).compose(found -> found
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(notFound(profileId))));
  }

  public Future<ProfilePage> list(String sid, ProfileQuery query) {
    return store.list(sid, query);
  }

  public Future<CallbackProfile> patch(String sid, String profileId, JsonObject request) {
    return stored(sid, profileId).compose(current -> {
      ProfileInput.ProfilePatch patch = input.forPatch(current.spec(), request);
      CallbackProfile updated = new CallbackProfile(current.id(), sid, patch.spec(),
          patch.status().orElse(current.status()), current.signingSecret(), current.previousSecret(),
          current.previousSecretExpiresAt(), current.createdAt(), now());
      return save(updated).onSuccess(saved -> {
        if (current.status() != ProfileStatus.ACTIVE && saved.status() == ProfileStatus.ACTIVE) {
          operationalEvents.profileStatusChanged(OperationalEvents.PROFILE_ENABLED, sid, saved.id(),
              saved.spec().title(), ProfileStatus.ACTIVE.code(), current.status() == ProfileStatus.AUTO_DISABLED
                  ? "enabled by the account after the engine disabled it" : "enabled by the account",
              saved.modifiedAt().toEpochMilli());
        }
      });
    });
  }

  public Future<String> delete(String sid, String profileId) {
    return store.delete(sid, profileId).compose(cancelled -> {
      remembered.forget(profileId);
      if (cancelled.isEmpty()) {
        return Future.failedFuture(notFound(profileId));
      }
      metrics.cancelled(cancelled.get());
      return Future.succeededFuture(profileId);
    });
  }

  /** A new signing secret; the old one keeps signing (as a second signature) for {@link #SECRET_OVERLAP}. */
  public Future<CallbackProfile> rotateSigningSecret(String sid, String profileId) {
    return stored(sid, profileId).compose(current -> {
      Instant now = now();
      CallbackProfile rotated = new CallbackProfile(current.id(), sid, current.spec(), current.status(),
          SigningSecret.generate(random), current.signingSecret(), now.plus(SECRET_OVERLAP), current.createdAt(), now);
      return save(rotated);
    });
  }

  private Future<CallbackProfile> save(CallbackProfile profile) {
    return store.update(profile).compose(saved -> saved
        .map(changed -> {
          remembered.forget(changed.id());
          return Future.succeededFuture(changed);
        })
        .orElseGet(() -> Future.failedFuture(notFound(profile.id()))));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  static ClientProblem notFound(String profileId) {
    return ClientProblem.notFound("No profile exists with this id",
        Violation.params("No profile exists with id: " + profileId));
  }
}
