package io.callbackengine.dispatcher;

import io.callbackengine.domain.delivery.DeliveryOutcome;
import io.callbackengine.store.delivery.AttemptOutcome;
import io.callbackengine.store.delivery.ClaimedDelivery;
import io.callbackengine.store.delivery.DeliveryQueue;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A {@link DeliveryQueue} in memory, for the dispatcher's unit tests: the claim, release and fenced finish the
 * interface promises, every call recorded, and claims or finishes that can be held until the test answers them.
 * Thread-safe: the dispatcher calls it from its event loop, the test reads it from its own thread.
 */
final class InMemoryDeliveryQueue implements DeliveryQueue {

  /** One claim the dispatcher made, and how many deliveries it held under lease at that moment. */
  record Claim(int limit, Map<String, Integer> busyProfiles, int roomPerProfile, int leasedBefore) {
  }

  private static final class Row {
    final String id;
    final String profileId;
    final Instant createdAt;
    int attempts;
    Instant dueAt;
    UUID lease;

    Row(String id, String profileId, Instant createdAt) {
      this.id = id;
      this.profileId = profileId;
      this.createdAt = createdAt;
      this.dueAt = createdAt;
    }
  }

  private record HeldClaim(int limit, UUID lease, Map<String, Integer> busy, int room,
      Promise<List<ClaimedDelivery>> answer) {
  }

  private record HeldFinish(List<AttemptOutcome> outcomes, Promise<FinishResult> answer) {
  }

  private final Map<String, Row> rows = new LinkedHashMap<>();
  private final List<Claim> claims = new ArrayList<>();
  private final List<List<ClaimedDelivery>> claimed = new ArrayList<>();
  private final List<List<AttemptOutcome>> finishes = new ArrayList<>();
  private final List<List<String>> releases = new ArrayList<>();
  private final Map<String, AttemptOutcome> finished = new LinkedHashMap<>();
  private final List<String> finishedTwice = new ArrayList<>();
  private final List<HeldClaim> heldClaims = new ArrayList<>();
  private final List<HeldFinish> heldFinishes = new ArrayList<>();
  private boolean holdClaims;
  private boolean holdFinishes;
  private int finishesToFail;
  private int releasesToFail;
  private int created;

  /** Adds due deliveries of {@code profileId}; answers their ids, oldest first. */
  synchronized List<String> add(String profileId, int count) {
    return add(profileId, count, Instant.now().minusSeconds(3600));
  }

  private List<String> add(String profileId, int count, Instant from) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String id = "msg_" + profileId + "_" + created;
      rows.put(id, new Row(id, profileId, from.plusMillis(created++)));
      ids.add(id);
    }
    return ids;
  }

  /** Adds deliveries already leased under {@code lease}, as a publish that hands them over does. */
  synchronized List<ClaimedDelivery> addLeased(String profileId, int count, UUID lease, Duration duration) {
    List<ClaimedDelivery> leased = new ArrayList<>();
    // Created now: a handed-over delivery's creation is the publish's acceptance, where its lease begins.
    for (String id : add(profileId, count, Instant.now())) {
      Row row = rows.get(id);
      row.lease = lease;
      row.dueAt = Instant.now().plus(duration);
      leased.add(claimedOf(row));
    }
    return leased;
  }

  synchronized void holdClaims(boolean hold) {
    holdClaims = hold;
  }

  synchronized void holdFinishes(boolean hold) {
    holdFinishes = hold;
  }

  synchronized void failFinishes(int times) {
    finishesToFail = times;
  }

  synchronized void failReleases(int times) {
    releasesToFail = times;
  }

  @Override
  public synchronized Future<List<ClaimedDelivery>> claim(int limit, UUID leaseToken, Duration lease,
      Map<String, Integer> busyProfiles, int roomPerProfile) {
    int leased = (int) rows.values().stream().filter(r -> r.lease != null).count();
    claims.add(new Claim(limit, Map.copyOf(busyProfiles), roomPerProfile, leased));
    if (holdClaims) {
      Promise<List<ClaimedDelivery>> answer = Promise.promise();
      heldClaims.add(new HeldClaim(limit, leaseToken, Map.copyOf(busyProfiles), roomPerProfile, answer));
      return answer.future();
    }
    return Future.succeededFuture(take(limit, leaseToken, lease, busyProfiles, roomPerProfile));
  }

  /** Answers the oldest held claim with what is due now. Call from the dispatcher's event loop. */
  void answerHeldClaim() {
    HeldClaim held;
    List<ClaimedDelivery> taken;
    synchronized (this) {
      held = heldClaims.remove(0);
      taken = take(held.limit, held.lease, Duration.ofSeconds(30), held.busy, held.room);
    }
    held.answer.complete(taken);
  }

  private List<ClaimedDelivery> take(int limit, UUID leaseToken, Duration lease, Map<String, Integer> busy,
      int roomPerProfile) {
    Instant now = Instant.now();
    Map<String, Integer> room = new HashMap<>();
    List<ClaimedDelivery> taken = new ArrayList<>();
    rows.values().stream()
        .filter(r -> r.lease == null && !r.dueAt.isAfter(now))
        .sorted(Comparator.comparing((Row r) -> r.dueAt).thenComparing(r -> r.createdAt))
        .forEach(r -> {
          int left = room.computeIfAbsent(r.profileId, id -> busy.getOrDefault(id, roomPerProfile));
          if (taken.size() < limit && left > 0) {
            room.put(r.profileId, left - 1);
            r.lease = leaseToken;
            r.dueAt = now.plus(lease);
            taken.add(claimedOf(r));
          }
        });
    claimed.add(List.copyOf(taken));
    return taken;
  }

  private static ClaimedDelivery claimedOf(Row r) {
    return new ClaimedDelivery(r.id, r.profileId, 1, "HX1", r.attempts + 1, r.lease, r.createdAt, "evt_" + r.id,
        "SMS-sent", "sms", "{\"id\":\"" + r.id + "\"}");
  }

  @Override
  public synchronized Future<Integer> release(UUID leaseToken, List<ClaimedDelivery> deliveries, boolean endsHandoff) {
    List<String> deliveryIds = deliveries.stream().map(ClaimedDelivery::deliveryId).toList();
    releases.add(deliveryIds);
    if (releasesToFail > 0) {
      releasesToFail--;
      return Future.failedFuture(new IllegalStateException("Timeout waiting for connection"));
    }
    int released = 0;
    for (String id : deliveryIds) {
      Row row = rows.get(id);
      if (row != null && leaseToken.equals(row.lease)) {
        row.lease = null;
        row.dueAt = Instant.now();
        released++;
      }
    }
    return Future.succeededFuture(released);
  }

  @Override
  public Future<FinishResult> finish(List<AttemptOutcome> outcomes, Set<UUID> handoffsEnded) {
    Promise<FinishResult> answer = Promise.promise();
    synchronized (this) {
      finishes.add(List.copyOf(outcomes));
      if (finishesToFail > 0) {
        finishesToFail--;
        return Future.failedFuture(new IllegalStateException("database unavailable"));
      }
      if (holdFinishes) {
        heldFinishes.add(new HeldFinish(List.copyOf(outcomes), answer));
        return answer.future();
      }
    }
    answer.complete(apply(outcomes));
    return answer.future();
  }

  /** Carries out the oldest held finish and answers it. Call from the dispatcher's event loop. */
  void answerHeldFinish() {
    HeldFinish held;
    synchronized (this) {
      held = heldFinishes.remove(0);
    }
    held.answer.complete(apply(held.outcomes));
  }

  private synchronized FinishResult apply(List<AttemptOutcome> outcomes) {
    int recorded = 0;
    for (AttemptOutcome o : outcomes) {
      Row row = rows.get(o.deliveryId());
      if (row == null || !o.leaseToken().equals(row.lease)) {
        if (finished.containsKey(o.deliveryId())) {
          finishedTwice.add(o.deliveryId());
        }
        continue;
      }
      recorded++;
      row.attempts = o.attempt().attempt();
      row.lease = null;
      if (o.outcome() instanceof DeliveryOutcome.Retry retry) {
        row.dueAt = retry.at();
      } else {
        rows.remove(o.deliveryId());
        finished.put(o.deliveryId(), o);
      }
    }
    return new FinishResult(recorded, List.of());
  }

  @Override
  public Future<Integer> reapExpiredLeases() {
    return Future.succeededFuture(0);
  }

  synchronized List<Claim> claims() {
    return List.copyOf(claims);
  }

  /** What each claim answered, in order (held ones once answered). */
  synchronized List<List<ClaimedDelivery>> claimed() {
    return List.copyOf(claimed);
  }

  synchronized List<List<AttemptOutcome>> finishes() {
    return List.copyOf(finishes);
  }

  synchronized List<List<String>> releases() {
    return List.copyOf(releases);
  }

  /** Finished deliveries (delivered or failed for good), by id, in the order they finished. */
  synchronized Map<String, AttemptOutcome> finished() {
    return Map.copyOf(finished);
  }

  synchronized int finishedCount() {
    return finished.size();
  }

  /** Outcomes for deliveries already finished: a finish that was recorded twice. */
  synchronized List<String> finishedTwice() {
    return List.copyOf(finishedTwice);
  }

  synchronized List<String> waiting() {
    return rows.values().stream().filter(r -> r.lease == null).map(r -> r.id).toList();
  }

  synchronized int heldClaimCount() {
    return heldClaims.size();
  }

  synchronized int heldFinishCount() {
    return heldFinishes.size();
  }
}
