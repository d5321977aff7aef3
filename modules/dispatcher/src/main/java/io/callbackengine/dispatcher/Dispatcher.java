package io.callbackengine.dispatcher;

import io.callbackengine.domain.delivery.DeliveryOutcome;
import io.callbackengine.domain.profile.CallbackProfile;
import io.callbackengine.domain.profile.ProfilePolicy;
import io.callbackengine.store.event.OperationalEvents;
import io.callbackengine.store.delivery.AttemptOutcome;
import io.callbackengine.store.delivery.ClaimedDelivery;
import io.callbackengine.store.delivery.DeliveryQueue;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery loop: claim → render, encrypt, sign → send → record. It runs on one event loop, so its counters need
 * no locks. Claims are batched and repeated while work is due and there is room; outcomes are written in batches
 * (whatever finished while the previous write was running, or within a few milliseconds of the first). A profile
 * never has more than its cap in flight: its extra deliveries wait here briefly or go back to the queue. Wake-ups
 * (new deliveries, retries coming due, the poll backstop) all land in {@link #wake()}.
 */
public final class Dispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  /**
   * How long an outcome waits, at most, for others to share its write. The callback has been sent by then, so this
   * delays only the delivery log's status and the lease's release, never a receiver. It applies under load too: a
   * write that ends leaves the outcomes gathered meanwhile to wait out the rest of the oldest one's linger (unless
   * {@link #RECORD_BATCH} are waiting). Written as soon as the previous write ended, with a 5 ms linger after a quiet
   * spell only, as until 2026-12-03, outcomes shared a statement only for as long as that write took, and a finish
   * statement costs PostgreSQL about 0.5 ms of CPU whatever its size (pgbench of the statement with one outcome):
   * in a {@code --quick} A/B at 3,000 deliveries/s (run 13b), commits per delivery fell from 0.07–0.08 to 0.06 and
   * PostgreSQL's CPU per delivery from 97–105 to 89–96 µs; a second A/B (run 13d) found 0.06 against 0.07 commits
   * at equal CPU, so the saving is a few µs per delivery at most.
   */
  private static final long RECORD_LINGER_MILLIS = 20;
  /** Outcomes that are written at once, without waiting out {@link #RECORD_LINGER_MILLIS}. */
  private static final int RECORD_BATCH = 64;
  /**
   * Returning deliveries to the queue is tried this often, a second apart, before they are left to their lease. Left
   * at once, as until 2026-12-02, one busy moment of the dispatcher's few connections (a cold start on a slow machine,
   * the pool's wait running out) kept hundreds of deliveries from their receivers for the whole lease (a minute).
   */
  private static final int RELEASE_TRIES = 5;
  private static final long RELEASE_RETRY_MILLIS = 1000;

  private final Vertx vertx;
  private final DeliveryQueue queue;
  private final ProfileCache profiles;
  private final CallbackComposer composer;
  private final AuthenticatedSender sender;
  private final AttemptJudge judge;
  private final DispatchSettings settings;
  private final DispatchMetrics metrics;
  private final LocalHandoff handoff;
  private final HandoffLedger handoffs = new HandoffLedger();

  /** Claimed and not yet recorded: the bound on memory and on leases held. */
  private int held;
  private final ProfileSlots slots;
  private final ProfilePacing pacing;
  private final OperationalNotices notices;
  private List<AttemptOutcome> unrecorded = new ArrayList<>();
  /** When the oldest outcome in {@link #unrecorded} was added, {@link System#nanoTime()}. */
  private long oldestUnrecordedNanos;
  private boolean claiming;
  /** The last claim suggested more is due than it took: claim again as soon as there is room. */
  private boolean backlog;
  /** The last claim took all it asked for: older deliveries wait in the queue, so publishes get half the room. */
  private boolean queueBacklog;
  private boolean recording;
  private long lingerTimer = -1;
  private boolean recordRetryPending;
  private boolean wokenWhileBusy;
  private boolean stopping;
  private long retryTimer = -1;
  private Instant retryTimerAt = Instant.MAX;
  private Promise<Void> drained;

  public Dispatcher(Vertx vertx, DeliveryQueue queue, ProfileCache profiles, CallbackComposer composer,
      AuthenticatedSender sender, AttemptJudge judge, DispatchSettings settings, DispatchMetrics metrics,
      LocalHandoff handoff, OperationalEvents operationalEvents) {
    this.vertx = vertx;
    this.handoff = handoff;
    this.queue = queue;
    this.profiles = profiles;
    this.composer = composer;
    this.sender = sender;
    this.judge = judge;
    this.settings = settings;
    this.metrics = metrics;
    this.pacing = new ProfilePacing(settings, id -> profiles.get(id).orElse(null));
    this.slots = new ProfileSlots(pacing.defaults(), pacing::capsOf);
    this.notices = new OperationalNotices(operationalEvents, id -> profiles.get(id).orElse(null), Clock.systemUTC());
  }

  /** How many dispatcher processes are live, this one included: they share each profile's rate limit. */
  public void dispatchers(int count) {
    pacing.dispatchers(count);
    metrics.dispatchers(Math.max(1, count));
  }

  /** Something may be due: claim now, or as soon as the current claim or a slot is free. */
  public void wake() {
    if (stopping) {
      return;
    }
    if (claiming || free() <= 0) {
      wokenWhileBusy = true;
      return;
    }
    claim();
  }

  /** Room for more deliveries: the in-flight cap less what is held and what publishes were promised. */
  private int free() {
    return settings.maxInFlight() - held - handoff.reserved();
  }

  /**
   * Tells publishes how much they may hand over now. While older deliveries wait in the queue, publishes get half the
   * room, in all and of each profile, and claims the rest, so the backlog drains while new deliveries keep skipping
   * the queue. (Given none, as until 2026-12-02, a few deliveries queued because one profile's room was full for a
   * moment sent every publish's deliveries to the queue; a claimed delivery costs the database twice the work of a
   * handed-over one, so near capacity the queue path fell behind and never recovered: 6,400/s not sustained where
   * 6,000/s was, with p99 over 4 s.) New deliveries may thus go before older ones of their profile still queued;
   * deliveries with an ordering key are never handed over.
   */
  private void offerRoom() {
    int free = stopping ? 0 : settings.maxInFlight() - held;
    Map<String, Integer> room = free > 0 ? slots.room() : new HashMap<>();
    int roomPerProfile = slots.limit();
    if (queueBacklog) {
      free /= 2;
      room.replaceAll((id, left) -> left / 2);
      roomPerProfile /= 2;
    }
    handoff.offer(new LocalHandoff.Room(free, room, roomPerProfile));
  }

  /**
   * Deliveries a publish leased to this dispatcher (see {@link LocalHandoff}): started like claimed ones, under the
   * publish's lease, which began when it was accepted (their {@code createdAt}). Two publishes running at once each
   * saw the same room, so a profile may get more than its room: those wait for a slot like the rest. (Returned to the
   * queue, as until 2026-12-03, each cost a release and a claim later: some 50–270 a second at 7,600 deliveries/s,
   * every one taking the queue's path, twice the database work.)
   */
  void adopt(List<ClaimedDelivery> leased) {
    if (leased.isEmpty()) {
      return;
    }
    handoffs.adopted(leased);
    if (stopping) {
      releaseAll(leased);
      return;
    }
    held += leased.size();
    metrics.handedOver(leased.size());
    long lease = settings.lease().toMillis();
    profiles.load(leased).onComplete(loaded -> {
      if (loaded.failed()) {
        LOG.warn("Loading profiles of handed-over deliveries failed, returning them to the queue: {}",
            loaded.cause().toString());
        held -= leased.size();
        releaseAll(leased);
        offerRoom();
        return;
      }
      leased.forEach(delivery -> start(delivery, delivery.createdAt().toEpochMilli() + lease));
      offerRoom();
    });
  }

  /**
   * Puts deliveries back in the queue unattempted. A return that fails is tried again every
   * {@link #RELEASE_RETRY_MILLIS}, {@link #RELEASE_TRIES} times in all; one that never succeeds is returned when its
   * lease expires.
   */
  private Future<?> releaseAll(List<ClaimedDelivery> deliveries) {
    Map<UUID, List<ClaimedDelivery>> byLease = new HashMap<>();
    deliveries.forEach(d -> byLease.computeIfAbsent(d.leaseToken(), t -> new ArrayList<>()).add(d));
    List<Future<Integer>> releases = new ArrayList<>();
    byLease.forEach((token, leased) -> releases.add(release(token, leased, RELEASE_TRIES)));
    return Future.join(releases);
  }

  private Future<Integer> release(UUID token, List<ClaimedDelivery> deliveries, int tries) {
    List<UUID> handedOver = deliveries.stream().filter(ClaimedDelivery::handedOver).map(ClaimedDelivery::leaseToken)
        .toList();
    boolean ends = !handedOver.isEmpty() && handoffs.endedByRelease(token, handedOver.size());
    return queue.release(token, deliveries, ends)
        .onSuccess(n -> handoffs.recorded(handedOver, ends ? Set.of(token) : Set.of()))
        .recover(e -> {
          if (tries <= 1) {
            LOG.warn("Returning {} deliveries to the queue failed; their lease will expire: {}", deliveries.size(),
                e.toString());
            handoffs.abandon(token);
            return Future.failedFuture(e);
          }
          Promise<Integer> again = Promise.promise();
          vertx.setTimer(RELEASE_RETRY_MILLIS, id -> release(token, deliveries, tries - 1).onComplete(again));
          return again.future();
        });
  }

  /** How many deliveries this dispatcher holds right now (claimed, not yet recorded). */
  public int held() {
    return held;
  }

  private void claim() {
    int room = Math.min(settings.batchSize(), free());
    claiming = true;
    wokenWhileBusy = false;
    UUID lease = UUID.randomUUID();
    Map<String, Integer> busy = slots.room();
    long leaseEnd = System.currentTimeMillis() + settings.lease().toMillis();
    queue.claim(room, lease, settings.lease(), busy, slots.limit())
        .compose(claimed -> profiles.load(claimed).map(claimed))
        .onComplete(result -> {
          claiming = false;
          if (result.failed()) {
            LOG.warn("Claiming deliveries failed, retrying at the next wake-up: {}", result.cause().toString());
            return;
          }
          List<ClaimedDelivery> claimed = result.result();
          handoffs.adopted(claimed);
          held += claimed.size();
          metrics.claimed(claimed.size());
          claimed.forEach(delivery -> start(delivery, leaseEnd));
          backlog = constrained(claimed, room, busy);
          queueBacklog = claimed.size() == room;
          offerRoom();
          if ((claimed.size() == room || wokenWhileBusy) && !stopping && free() > 0) {
            claim();
          }
        });
  }

  /**
   * Whether the claim may have left due deliveries behind: it took all it asked for, skipped a profile with no
   * room, or filled a profile's room. Then the next recorded batch (which frees room) triggers another claim.
   */
  private boolean constrained(List<ClaimedDelivery> claimed, int room, Map<String, Integer> busy) {
    if (claimed.size() == room || busy.containsValue(0)) {
      return true;
    }
    Map<String, Integer> taken = new HashMap<>();
    claimed.forEach(d -> taken.merge(d.profileId(), 1, Integer::sum));
    return taken.entrySet().stream().anyMatch(t -> t.getValue() >= busy.getOrDefault(t.getKey(), slots.limit()));
  }

  /**
   * Sends now if the profile has a free slot; otherwise waits here, as long as its lease (ending at
   * {@code leaseEndMillis}, epoch ms) leaves time for its attempt. One more than the profile's own caps allow (a
   * claim took it before its policy was known), or one whose lease is already too short for an attempt (its claim or
   * publish took that long), goes back to the queue.
   */
  private void start(ClaimedDelivery delivery, long leaseEndMillis) {
    long startBy = pacing.startBy(profiles.get(delivery.profileId()).orElse(null), leaseEndMillis);
    if (System.currentTimeMillis() > startBy) {
      held--;
      releaseAll(List.of(delivery));
      return;
    }
    switch (slots.take(delivery, startBy)) {
      case SENDING -> send(delivery);
      case WAITING -> { }
      case TURNED_AWAY -> {
        held--;
        releaseAll(List.of(delivery));
      }
    }
  }

  /** Sends {@code delivery}, which holds one of its profile's slots, when its profile's rate limit gives it a turn. */
  private void send(ClaimedDelivery delivery) {
    CallbackProfile profile = profiles.get(delivery.profileId()).orElse(null);
    long wait = profile == null ? 0 : pacing.delayMillis(profile, System.nanoTime());
    if (wait > 0) {
      vertx.setTimer(wait, id -> attempt(delivery, profile));
    } else {
      attempt(delivery, profile);
    }
  }

  private void attempt(ClaimedDelivery delivery, CallbackProfile profile) {
    Future<AttemptOutcome> attempt;
    if (profile == null) {
      attempt = Future.succeededFuture(judge.judge(delivery, SendResult.failed(Instant.now(), 0, "profile not found",
          SendResult.ResultClass.ERROR), List.of()));
    } else {
      CallbackRequest request;
      try {
        request = composer.compose(profile, delivery, Instant.now());
      } catch (RuntimeException e) {
        LOG.atWarn().addKeyValue("delivery_id", delivery.deliveryId()).addKeyValue("profile_id", delivery.profileId())
            .log("Delivery {} of profile {} could not be composed: {}", delivery.deliveryId(), delivery.profileId(),
                e.getClass().getSimpleName());
        request = null;
      }
      ProfilePolicy policy = profile.spec().policy();
      CallbackRequest composed = request == null ? null : request.withTimeout(pacing.timeout(policy));
      attempt = composed == null
          ? Future.succeededFuture(judge.judge(delivery, SendResult.failed(Instant.now(), 0,
              "callback could not be composed", SendResult.ResultClass.ERROR), List.of(), policy))
          : sender.send(profile, composed).map(sent -> {
            metrics.attempted(sent);
            return judge.judge(delivery, sent, List.copyOf(composed.unknownPlaceholders()), policy);
          });
    }
    attempt.onComplete(done -> {
      notices.judged(delivery);
      finished(delivery.profileId(), quick(done.result()));
      metrics.finished(done.result(), delivery.createdAt());
      record(done.result());
    });
  }

  /** Whether the receiver answered the attempt quickly (see {@link ProfileSlots}). */
  private static boolean quick(AttemptOutcome outcome) {
    Integer status = outcome.attempt().httpStatus();
    return status != null && status < 500 && outcome.attempt().durationMs() <= ProfileSlots.QUICK_MILLIS;
  }

  /**
   * A request of {@code profileId} ended: the next delivery waiting takes its slot, and more if a quick answer opened
   * slots. Those whose lease no longer covers an attempt (the receiver slowed down while they waited) go back to the
   * queue unsent, for a fresh lease.
   */
  private void finished(String profileId, boolean quick) {
    List<ClaimedDelivery> late = new ArrayList<>(0);
    long now = System.currentTimeMillis();
    for (ClaimedDelivery next = slots.free(profileId, quick, now, late::add); next != null;
        next = slots.next(profileId, now, late::add)) {
      send(next);
    }
    if (!late.isEmpty()) {
      LOG.atWarn().addKeyValue("profile_id", profileId).log("{} deliveries of profile {} waited too long for a slot "
          + "to be attempted within their lease; returned to the queue", late.size(), profileId);
      held -= late.size();
      releaseAll(late);
      offerRoom();
    }
  }

  private void record(AttemptOutcome outcome) {
    if (outcome.outcome() instanceof DeliveryOutcome.Retry retry) {
      wakeAt(retry.at());
    }
    if (!outcome.succeeded()) {
      LOG.atDebug().addKeyValue("delivery_id", outcome.deliveryId()).addKeyValue("profile_id", outcome.profileId())
          .log("Attempt {} of delivery {} (profile {}) failed: {}", outcome.attempt().attempt(), outcome.deliveryId(),
              outcome.profileId(), outcome.attempt().error());
    }
    if (unrecorded.isEmpty()) {
      oldestUnrecordedNanos = System.nanoTime();
    }
    unrecorded.add(outcome);
    flush();
  }

  private void flush() {
    if (recording || recordRetryPending || unrecorded.isEmpty()) {
      return;
    }
    long waited = (System.nanoTime() - oldestUnrecordedNanos) / 1_000_000;
    if (!stopping && unrecorded.size() < RECORD_BATCH && waited < RECORD_LINGER_MILLIS) {
      if (lingerTimer < 0) {
        lingerTimer = vertx.setTimer(RECORD_LINGER_MILLIS - waited, id -> {
          lingerTimer = -1;
          write();
        });
      }
      return;
    }
    write();
  }

  /** Writes every outcome not yet recorded, unless a write is running (it writes them when it is done). */
  private void write() {
    if (recording || recordRetryPending || unrecorded.isEmpty()) {
      return;
    }
    if (lingerTimer >= 0) {
      vertx.cancelTimer(lingerTimer);
      lingerTimer = -1;
    }
    recording = true;
    List<AttemptOutcome> batch = unrecorded;
    unrecorded = new ArrayList<>();
    List<UUID> handedOver = batch.stream().filter(o -> o.handedOver() != null).map(AttemptOutcome::leaseToken)
        .toList();
    Set<UUID> ended = handoffs.endedByFinish(handedOver);
    queue.finish(batch, ended).onComplete(result -> {
      recording = false;
      if (result.succeeded()) {
        handoffs.recorded(handedOver, ended);
        held -= batch.size();
        offerRoom();
        metrics.autoDisabled(result.result().autoDisabledProfiles().size());
        notices.recorded(batch, result.result());
        result.result().autoDisabledProfiles().forEach(id -> LOG.atWarn().addKeyValue("profile_id", id)
            .log("Profile {} auto-disabled: its callbacks keep failing", id));
      } else {
        LOG.warn("Recording {} attempts failed, retrying: {}", batch.size(), result.cause().toString());
        batch.addAll(unrecorded);
        unrecorded = batch;
        recordRetryPending = true;
        vertx.setTimer(500, id -> {
          recordRetryPending = false;
          write();
        });
        return;
      }
      if (!unrecorded.isEmpty()) {
        flush();
      } else if (stopping && held == 0 && drained != null) {
        drained.tryComplete();
      }
      if ((wokenWhileBusy || backlog) && !claiming) {
        wake();
      }
    });
  }

  /** Arranges a wake-up when a retry falls due, keeping only the earliest timer. */
  private void wakeAt(Instant due) {
    if (!due.isBefore(retryTimerAt)) {
      return;
    }
    if (retryTimer >= 0) {
      vertx.cancelTimer(retryTimer);
    }
    retryTimerAt = due;
    // Rounded up, so the timer never fires before the retry is due: a claim a fraction of a millisecond early finds
    // nothing, and the retry would wait for the next poll.
    long delay = Math.max(1, java.time.Duration.between(Instant.now(), due).toMillis() + 1);
    retryTimer = vertx.setTimer(delay, id -> {
      retryTimer = -1;
      retryTimerAt = Instant.MAX;
      wake();
    });
  }

  /**
   * Stops claiming, lets attempts in flight finish, puts deliveries still waiting here back in the queue and records
   * every outcome. Completes when nothing is held, or when {@code grace} runs out (leases then expire on their own).
   */
  public Future<Void> stop(java.time.Duration grace) {
    stopping = true;
    offerRoom();
    write();
    drained = Promise.promise();
    List<ClaimedDelivery> waiting = slots.takeWaiting();
    held -= waiting.size();
    releaseAll(waiting).onComplete(done -> {
      if (held == 0) {
        drained.tryComplete();
      }
    });
    long timer = vertx.setTimer(Math.max(1, grace.toMillis()), id -> drained.tryComplete());
    return drained.future().onComplete(done -> vertx.cancelTimer(timer));
  }
}
