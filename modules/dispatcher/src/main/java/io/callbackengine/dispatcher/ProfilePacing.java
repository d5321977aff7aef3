package io.callbackengine.dispatcher;

import io.callbackengine.domain.profile.CallbackProfile;
import io.callbackengine.domain.profile.ProfilePolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What profiles' policies (API.md §14) mean for one dispatcher: each profile's caps ({@link ProfileSlots}), the
 * timeout of its callbacks, and when its next callback may go under its rate limit.
 *
 * <p>The rate limit is a schedule per profile in each process (GCRA: each callback takes the next free instant,
 * {@code 1 / rate} after the one before), with the profile's limit divided by the number of live dispatcher
 * processes, which {@link #dispatchers(int)} is told every few seconds from PostgreSQL. So the receiver sees at most
 * about the limit per second however many processes send, with no shared state on the hot path; while the count
 * lags a process starting or stopping, the total can be off by one process's share for a few seconds.
 *
 * <p>Every cap keeps a profile's deliveries within their lease: no more wait here than the profile's in-flight cap
 * (and its rate) can attempt before the lease runs out, each attempt taking the whole timeout. One that waits past
 * {@link #startBy} all the same (two publishes leased it at once beyond the room, see {@link ProfileSlots}) goes
 * back to the queue unsent. Used from one event loop only.
 */
final class ProfilePacing {

  /** A timeout leaves this much of the lease for recording the outcome. */
  private static final Duration LEASE_MARGIN = Duration.ofSeconds(1);

  private final DispatchSettings settings;
  private final Function<String, CallbackProfile> profiles;
  private final ProfileSlots.Caps defaults;
  private final Map<String, Long> nextFreeNanos = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > 10_000;
    }
  };
  private int dispatchers = 1;

  /** @param profiles a profile by id, or null when not loaded */
  ProfilePacing(DispatchSettings settings, Function<String, CallbackProfile> profiles) {
    this.settings = settings;
    this.profiles = profiles;
    this.defaults = caps(settings.perProfileInFlight(), settings.requestTimeout(), null, 1);
  }

  ProfileSlots.Caps defaults() {
    return defaults;
  }

  /** The live dispatcher processes, this one included, that share each profile's rate limit. */
  void dispatchers(int count) {
    dispatchers = Math.max(1, count);
  }

  /** The caps of a profile with a policy of its own, or null for the defaults. */
  ProfileSlots.Caps capsOf(String profileId) {
    CallbackProfile profile = profiles.apply(profileId);
    ProfilePolicy policy = profile == null ? ProfilePolicy.DEFAULTS : profile.spec().policy();
    if (policy.maxInFlight() == null && policy.timeout() == null && policy.rateLimit() == null) {
      return null;
    }
    return caps(policy.maxInFlight(settings.perProfileInFlight()), timeout(policy), policy.rateLimit(), 0);
  }

  /** The whole-request timeout of a profile's callbacks: its own, within what its lease leaves. */
  Duration timeout(ProfilePolicy policy) {
    Duration timeout = policy.timeout(settings.requestTimeout());
    Duration most = settings.lease().minus(settings.connectTimeout()).minus(LEASE_MARGIN);
    return timeout.compareTo(most) > 0 ? most : timeout;
  }

  /**
   * The last moment, epoch ms, a delivery of {@code profile} whose lease ends at {@code leaseEndMillis} may start its
   * attempt: a whole attempt (connect and timeout) must still fit in the lease. At least {@link #LEASE_MARGIN} after
   * the lease began, as {@link #timeout} leaves that much.
   *
   * @param profile null when it is not known (the defaults apply)
   */
  long startBy(CallbackProfile profile, long leaseEndMillis) {
    ProfilePolicy policy = profile == null ? ProfilePolicy.DEFAULTS : profile.spec().policy();
    return leaseEndMillis - settings.connectTimeout().plus(timeout(policy)).toMillis();
  }

  /**
   * How long the next callback of {@code profile} must wait for its turn under the rate limit, in milliseconds
   * (0: now); calling it books the turn.
   */
  long delayMillis(CallbackProfile profile, long nowNanos) {
    Integer limit = profile.spec().policy().rateLimit();
    if (limit == null) {
      return 0;
    }
    long interval = (long) (1_000_000_000.0 * dispatchers / limit);
    long turn = Math.max(nowNanos, nextFreeNanos.getOrDefault(profile.id(), nowNanos));
    nextFreeNanos.put(profile.id(), turn + interval);
    return (turn - nowNanos) / 1_000_000;
  }

  /**
   * @param minRounds rounds of waiting allowed whatever the lease (the engine's defaults have always allowed one; a
   *                  policy's caps allow only what the lease holds)
   */
  private ProfileSlots.Caps caps(int inFlight, Duration timeout, Integer rateLimit, int minRounds) {
    long attempt = Math.max(1, settings.connectTimeout().plus(timeout).toMillis());
    long lease = settings.lease().toMillis();
    long rounds = Math.max(minRounds, lease / attempt - 1);
    long limit = inFlight + (long) inFlight * rounds;
    if (rateLimit != null) {
      // What the rate lets through before the lease runs out, after waiting its turn and one whole attempt.
      double perSecond = (double) rateLimit / dispatchers;
      limit = Math.min(limit, Math.max(1, (long) (perSecond * Math.max(0, lease - attempt) / 1000)));
    }
    return new ProfileSlots.Caps(Math.min(inFlight, (int) limit), (int) Math.min(Integer.MAX_VALUE, limit));
  }
}
