package io.callbackengine.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callbackengine.domain.delivery.DeliveryOutcome;
import io.callbackengine.domain.network.AddressPolicy;
import io.callbackengine.domain.network.CidrBlock;
import io.callbackengine.domain.profile.CallbackMethod;
import io.callbackengine.domain.profile.CallbackProfile;
import io.callbackengine.domain.profile.ProfileChannel;
import io.callbackengine.domain.profile.ProfileSpec;
import io.callbackengine.domain.profile.ProfileStatus;
import io.callbackengine.domain.retry.RetrySchedule;
import io.callbackengine.domain.signing.SigningSecret;
import io.callbackengine.store.delivery.AttemptOutcome;
import io.callbackengine.store.delivery.ClaimedDelivery;
import io.callbackengine.store.delivery.DeliveryHandoff;
import io.callbackengine.store.profile.ProfilePage;
import io.callbackengine.store.profile.ProfileQuery;
import io.callbackengine.store.profile.ProfileStore;
import io.callbackengine.store.profile.VersionedProfile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The delivery loop without a database: a real {@link Dispatcher} on its own event loop, sending real HTTP requests
 * to a {@link HoldingReceiver}, over an {@link InMemoryDeliveryQueue} that records each claim, release and finish.
 * There is no poll here: every claim comes from a wake-up the test made or one the dispatcher arranged itself.
 */
@ExtendWith(VertxExtension.class)
class DispatcherTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private Vertx vertx;
  private Context loop;
  private HoldingReceiver receiver;
  private final InMemoryDeliveryQueue queue = new InMemoryDeliveryQueue();
  private final Map<String, CallbackProfile> profiles = new ConcurrentHashMap<>();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Dispatcher dispatcher;
  private LocalHandoff handoff;

  @BeforeEach
  void startReceiver(Vertx vertx) throws Exception {
    this.vertx = vertx;
    this.loop = vertx.getOrCreateContext();
    receiver = new HoldingReceiver().start(vertx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static DispatchSettings settings(int batchSize, int maxInFlight, int perProfileInFlight,
      Duration requestTimeout) {
    return new DispatchSettings(batchSize, maxInFlight, perProfileInFlight, 1, requestTimeout.multipliedBy(10),
        Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(1), requestTimeout,
        RetrySchedule.parse("300ms", 0));
  }

  private void start(DispatchSettings settings) {
    HttpClient client = vertx.httpClientBuilder().with(new HttpClientOptions().setKeepAlive(true))
        .with(new PoolOptions().setHttp1MaxSize(settings.maxInFlight())).build();
    CallbackSender sender = new CallbackSender(vertx, client,
        new ConnectGuard(new AddressPolicy(List.of(CidrBlock.parse("127.0.0.1/32"))), HostResolver.system(vertx)),
        settings.connectTimeout(), settings.requestTimeout());
    handoff = new LocalHandoff(settings);
    DispatchMetrics metrics = new DispatchMetrics(registry);
    dispatcher = new Dispatcher(vertx, queue, new ProfileCache(new Profiles(), 100),
        new CallbackComposer(new SecureRandom(), "DispatcherTest"),
        new AuthenticatedSender(sender, new TokenCache(new TokenClient(sender, "DispatcherTest", metrics),
            java.time.Clock.systemUTC(), 100), settings.lease().minusSeconds(1), settings.connectTimeout(),
            settings.requestTimeout()),
        new AttemptJudge(settings.retrySchedule(), () -> 0.5), settings, metrics, handoff,
        new io.callbackengine.store.event.OperationalEvents((sid, events) -> Future.succeededFuture(List.of())));
    handoff.attach(dispatcher, loop);
  }

  /** A profile whose callbacks go to {@code path} on the receiver. */
  private String profile(String path) {
    String id = "SG_" + path.substring(1);
    ProfileSpec spec = new ProfileSpec("Profile " + id, CallbackMethod.POST, receiver.url(path), Map.of(),
        new JsonObject().put("id", "<id>"), null, null, ProfileChannel.SMS, List.of("SMS-sent"), null, Map.of());
    profiles.put(id, new CallbackProfile(id, "HX1", spec, ProfileStatus.ACTIVE, SigningSecret.generate(new SecureRandom()),
        null, null, Instant.EPOCH, null));
    return id;
  }

  /** Runs {@code action} on the dispatcher's event loop and waits until it ran. */
  private void onLoop(Runnable action) {
    onLoop(() -> {
      action.run();
      return null;
    });
  }

  private <T> T onLoop(Supplier<T> action) {
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.runOnContext(v -> {
      try {
        result.complete(action.get());
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    try {
      return result.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private double attempts(String result) {
    var counter = registry.find("callback.attempts").tag("result", result).counter();
    return counter == null ? 0 : counter.count();
  }

  private void awaitFinished(int deliveries) {
    await().atMost(WAIT).until(() -> queue.finishedCount() == deliveries);
    await().atMost(WAIT).until(() -> onLoop(dispatcher::held) == 0);
  }

  @Test
  void wakeUpsDuringAClaimLeadToExactlyOneMoreClaim() {
    start(settings(10, 100, 16, Duration.ofSeconds(2)));
    queue.holdClaims(true);

    onLoop(dispatcher::wake);
    onLoop(dispatcher::wake);
    onLoop(dispatcher::wake);
    assertThat(queue.claims()).as("one claim at a time").hasSize(1);

    onLoop(queue::answerHeldClaim);
    await().atMost(WAIT).until(() -> queue.heldClaimCount() == 1);
    assertThat(queue.claims()).as("woken while claiming: claims again at once").hasSize(2);
    onLoop(queue::answerHeldClaim);
    onLoop(() -> { });
    assertThat(queue.claims()).as("nothing woke it since: no third claim").hasSize(2);
  }

  @Test
  void claimsAgainAtOnceWhileClaimsComeBackFullAndSendsEachDeliveryOnce() {
    start(settings(5, 100, 16, Duration.ofSeconds(2)));
    Set<String> ids = new HashSet<>(queue.add(profile("/a"), 6));
    ids.addAll(queue.add(profile("/b"), 6));

    onLoop(dispatcher::wake);
    awaitFinished(12);

    assertThat(queue.claims()).extracting(InMemoryDeliveryQueue.Claim::limit).containsExactly(5, 5, 5);
    assertThat(queue.claimed()).extracting(List::size).containsExactly(5, 5, 2);
    assertThat(receiver.arrivals()).extracting(HoldingReceiver.Arrival::deliveryId).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(queue.finished().values()).allMatch(AttemptOutcome::succeeded);
    assertThat(queue.finishedTwice()).isEmpty();
  }

  @Test
  void neverHoldsMoreThanMaxInFlightAndClaimsTheRestAsRecordsFreeRoom() {
    start(settings(10, 4, 16, Duration.ofSeconds(10)));
    String a = profile("/a");
    queue.add(a, 10);
    receiver.hold("/a");

    onLoop(dispatcher::wake);
    await().atMost(WAIT).until(() -> receiver.arrivals("/a") == 4);
    onLoop(dispatcher::wake);
    assertThat(queue.claims()).as("no room: a wake-up claims nothing").hasSize(1);
    assertThat(queue.claims().get(0).limit()).isEqualTo(4);

    receiver.letGo("/a");
    awaitFinished(10);

    assertThat(receiver.mostOpen("/a")).isEqualTo(4);
    assertThat(queue.claims()).as("every claim fits in the room left")
        .allSatisfy(c -> assertThat(c.leasedBefore() + c.limit()).isLessThanOrEqualTo(4));
    assertThat(queue.finishedTwice()).isEmpty();
  }

  @Test
  void aReceiverThatAnswersQuicklyWhileDeliveriesWaitIsSentMoreAtOnceUpToFourTimesTheCap() {
    start(settings(100, 100, 2, Duration.ofSeconds(10)));
    String quick = profile("/quick");
    queue.add(quick, 60);
    receiver.delaying("/quick", 20);

    onLoop(dispatcher::wake);
    awaitFinished(60);

    assertThat(receiver.mostOpen("/quick")).as("raised above the cap of 2, to 8 at most").isBetween(5, 8);
  }

  @Test
  void aReceiverThatAnswersSlowlyKeepsTheCap() {
    start(settings(100, 100, 2, Duration.ofSeconds(10)));
    String slow = profile("/slow");
    queue.add(slow, 12);
    receiver.delaying("/slow", ProfileSlots.QUICK_MILLIS + 50);

    onLoop(dispatcher::wake);
    awaitFinished(12);

    assertThat(receiver.mostOpen("/slow")).isEqualTo(2);
  }

  @Test
  void aHangingProfileHoldsOnlyItsOwnSlots() {
    start(settings(50, 50, 2, Duration.ofSeconds(10)));
    String slow = profile("/slow");
    String fast = profile("/fast");
    queue.add(slow, 6);
    queue.add(fast, 6);
    receiver.hold("/slow");

    onLoop(dispatcher::wake);
    await().atMost(WAIT).until(() -> queue.finishedCount() == 6);

    assertThat(queue.finished().values()).extracting(AttemptOutcome::profileId).containsOnly(fast);
    assertThat(receiver.heldCount("/slow")).as("the slow profile's cap, no more").isEqualTo(2);
    receiver.letGo("/slow");
    awaitFinished(12);
    assertThat(receiver.mostOpen("/slow")).isEqualTo(2);
    assertThat(receiver.mostOpen("/fast")).isLessThanOrEqualTo(2);
  }

  @Test
  void outcomesFinishingWhileARecordRunsShareTheNextRecord() {
    start(settings(10, 100, 16, Duration.ofSeconds(2)));
    String profile = profile("/a");
    queue.add(profile, 1);
    queue.holdFinishes(true);
    onLoop(dispatcher::wake);
    await().atMost(WAIT).until(() -> queue.finishes().size() == 1);

    queue.add(profile, 4);
    onLoop(dispatcher::wake);
    await().atMost(WAIT).until(() -> attempts("2xx") == 5);
    onLoop(() -> { });
    assertThat(queue.finishes()).as("one record at a time").hasSize(1);

    onLoop(queue::answerHeldFinish);
    await().atMost(WAIT).until(() -> queue.heldFinishCount() == 1);
    assertThat(queue.finishes().get(1)).as("everything that finished meanwhile, in one record").hasSize(4);
    onLoop(queue::answerHeldFinish);

    awaitFinished(5);
    assertThat(queue.finishes()).hasSize(2);
  }

  @Test
  void aFailedRecordIsTriedAgainWithWhatFinishedSinceAndNothingIsLostOrDoubled() {
    start(settings(10, 100, 16, Duration.ofSeconds(2)));
    List<String> ids = queue.add(profile("/a"), 3);
    queue.failFinishes(1);

    onLoop(dispatcher::wake);
    awaitFinished(3);

    List<List<AttemptOutcome>> finishes = queue.finishes();
    assertThat(finishes.size()).isGreaterThanOrEqualTo(2);
    assertThat(finishes.subList(1, finishes.size()).stream().flatMap(List::stream).map(AttemptOutcome::deliveryId))
        .as("after the failed record, each outcome recorded exactly once")
        .containsExactlyInAnyOrderElementsOf(ids);
    assertThat(finishes.get(1)).as("the failed batch comes first in the retry")
        .extracting(AttemptOutcome::deliveryId).containsAll(finishes.get(0).stream().map(AttemptOutcome::deliveryId).toList());
    assertThat(queue.finishedTwice()).isEmpty();
  }

  @Test
  void aRetryComingDueWakesTheDispatcherByItself() {
    start(settings(10, 100, 16, Duration.ofSeconds(2)));
    String id = queue.add(profile("/a"), 1).get(0);
    receiver.answering(n -> n == 0 ? 503 : 200);

    onLoop(dispatcher::wake);
    awaitFinished(1);

    List<HoldingReceiver.Arrival> arrivals = receiver.arrivals();
    assertThat(arrivals).extracting(HoldingReceiver.Arrival::deliveryId).containsExactly(id, id);
    assertThat(Duration.between(arrivals.get(0).at(), arrivals.get(1).at())).as("the schedule's 300 ms")
        .isGreaterThanOrEqualTo(Duration.ofMillis(290));
    assertThat(queue.finished().get(id).attempt().attempt()).isEqualTo(2);
    assertThat(queue.claims()).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void stopPutsWaitingDeliveriesBackAndWaitsForThoseInFlight() throws Exception {
    start(settings(10, 100, 1, Duration.ofSeconds(10)));
    List<String> ids = queue.add(profile("/a"), 3);
    receiver.hold("/a");
    onLoop(dispatcher::wake);
    await().atMost(WAIT).until(() -> receiver.arrivals("/a") == 1);

    Future<Void> stopped = onLoop(() -> dispatcher.stop(Duration.ofSeconds(30)));
    await().atMost(WAIT).until(() -> queue.releases().size() == 1);
    assertThat(queue.releases().get(0)).containsExactlyInAnyOrderElementsOf(ids.subList(1, 3));
    onLoop(dispatcher::wake);
    assertThat(queue.claims()).as("a stopping dispatcher claims nothing").hasSize(1);
    assertThat(stopped.isComplete()).as("an attempt is still in flight").isFalse();

    receiver.letGo("/a");
    stopped.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);

    assertThat(queue.finished()).containsOnlyKeys(ids.get(0));
    assertThat(queue.waiting()).containsExactlyInAnyOrderElementsOf(ids.subList(1, 3));
    assertThat(onLoop(dispatcher::held)).isZero();
  }

  /**
   * Starts the dispatcher, then hands it what a publish that raced with a claim would: two deliveries of one profile
   * more than the profile has room for. Answers them, oldest first; the last two are beyond the room.
   */
  private List<ClaimedDelivery> handOverTwoBeyondTheRoom(DispatchSettings settings) {
    start(settings);
    int room = new ProfilePacing(settings, id -> null).defaults().limit();
    String a = profile("/a");
    onLoop(dispatcher::wake);
    DeliveryHandoff.Offer offer = await().atMost(WAIT).until(() -> handoff.reserve(room + 2), Optional::isPresent)
        .orElseThrow();
    assertThat(offer.limit()).isEqualTo(room + 2);
    List<ClaimedDelivery> leased = queue.addLeased(a, room + 2, offer.leaseToken(), offer.lease());
    handoff.accept(offer, leased);
    return leased;
  }

  @Test
  void handedOverDeliveriesBeyondTheirProfilesRoomWaitForASlotInsteadOfGoingBackToTheQueue() {
    List<ClaimedDelivery> leased = handOverTwoBeyondTheRoom(settings(10, 100, 1, Duration.ofSeconds(2)));

    awaitFinished(leased.size());
    assertThat(queue.releases()).as("a release and a claim later cost the database twice a hand-over").isEmpty();
    assertThat(receiver.arrivals()).extracting(HoldingReceiver.Arrival::deliveryId)
        .containsExactlyInAnyOrderElementsOf(leased.stream().map(ClaimedDelivery::deliveryId).toList());
    assertThat(handoff.reserved()).isZero();
    assertThat(registry.find("callback.dispatch.taken").tag("source", "handed_over").counter().count())
        .isEqualTo(leased.size());
  }

  /**
   * One request in flight per profile, a lease of 50 s; an attempt needs 1 s to connect and 5 s to answer, so it must
   * start 6 s before its lease ends (the receiver holds requests for less than 5 s).
   */
  private static final DispatchSettings LATE_SETTINGS = settings(10, 100, 1, Duration.ofSeconds(5));

  /** The last moment {@code delivery}, handed over under {@link #LATE_SETTINGS}, may start its attempt. */
  private static long startBy(ClaimedDelivery delivery) {
    return delivery.createdAt().toEpochMilli() + LATE_SETTINGS.lease().toMillis() - 6_000;
  }

  /**
   * Hands over one delivery with a fresh lease, then {@code late} more of the same profile (one request in flight)
   * whose lease, from a publish {@code leaseUsed} ago, leaves less than an attempt soon or at once. The receiver
   * holds the first until the test lets it go. Answers them, the fresh one first.
   */
  private List<ClaimedDelivery> handOverBehindAHeldRequest(DispatchSettings settings, int late, Duration leaseUsed) {
    start(settings);
    String a = profile("/a");
    receiver.hold("/a");
    onLoop(dispatcher::wake);
    DeliveryHandoff.Offer offer = await().atMost(WAIT).until(() -> handoff.reserve(late + 1), Optional::isPresent)
        .orElseThrow();
    Instant publishedAt = Instant.now().minus(leaseUsed);
    List<ClaimedDelivery> leased = new java.util.ArrayList<>();
    List<ClaimedDelivery> added = queue.addLeased(a, late + 1, offer.leaseToken(), offer.lease());
    leased.add(added.get(0));
    added.subList(1, added.size()).forEach(d -> leased.add(new ClaimedDelivery(d.deliveryId(), d.profileId(),
        d.profileRevision(), d.sid(), d.attempt(), d.leaseToken(), publishedAt, d.eventId(), d.event(), d.channel(),
        d.eventData(), d.retryBase(), d.handedOver())));
    handoff.accept(offer, leased);
    return leased;
  }

  @Test
  void aWaitingDeliveryWhoseLeaseNoLongerCoversAnAttemptGoesBackToTheQueueUnsent() {
    List<ClaimedDelivery> leased = handOverBehindAHeldRequest(LATE_SETTINGS, 2, Duration.ofSeconds(42));
    long startBy = startBy(leased.get(1));
    await().atMost(WAIT).until(() -> receiver.arrivals("/a") == 1);

    await().atMost(WAIT).until(() -> System.currentTimeMillis() > startBy);
    receiver.letGo("/a");

    await().atMost(WAIT).until(() -> queue.releases().size() == 1);
    assertThat(queue.releases().get(0)).containsExactly(leased.get(1).deliveryId(), leased.get(2).deliveryId());
    awaitFinished(1);
    assertThat(receiver.arrivals()).extracting(HoldingReceiver.Arrival::deliveryId)
        .containsExactly(leased.get(0).deliveryId());
    assertThat(queue.waiting()).as("back in the queue, due, for a fresh lease")
        .containsExactly(leased.get(1).deliveryId(), leased.get(2).deliveryId());
  }

  @Test
  void aDeliveryWhoseLeaseIsTooShortForAnAttemptWhenItArrivesIsNeverSent() {
    List<ClaimedDelivery> leased = handOverBehindAHeldRequest(LATE_SETTINGS, 2, Duration.ofSeconds(45));

    await().atMost(WAIT).until(() -> queue.releases().size() == 2);
    assertThat(queue.releases()).containsExactly(List.of(leased.get(1).deliveryId()),
        List.of(leased.get(2).deliveryId()));
    receiver.letGo("/a");
    awaitFinished(1);
    assertThat(receiver.arrivals()).hasSize(1);
  }

  @Test
  void deliveriesThatCouldNotGoBackToTheQueueAreTriedAgainNotLeftToTheirLease() {
    queue.failReleases(2);
    List<ClaimedDelivery> leased = handOverBehindAHeldRequest(LATE_SETTINGS, 2, Duration.ofSeconds(42));
    await().atMost(WAIT).until(() -> receiver.arrivals("/a") == 1);
    long startBy = startBy(leased.get(1));
    await().atMost(WAIT).until(() -> System.currentTimeMillis() > startBy);
    receiver.letGo("/a");

    // Two failed returns, then the third: within seconds, not what is left of the lease.
    await().atMost(WAIT).until(() -> queue.releases().size() == 3);
    assertThat(queue.releases()).allSatisfy(ids -> assertThat(ids)
        .containsExactly(leased.get(1).deliveryId(), leased.get(2).deliveryId()));
    awaitFinished(1);
    assertThat(queue.waiting()).as("back in the queue, due, for any dispatcher")
        .containsExactly(leased.get(1).deliveryId(), leased.get(2).deliveryId());
  }

  @Test
  void publishesGetHalfTheRoomWhileOlderDeliveriesWaitInTheQueue() {
    start(settings(5, 10, 16, Duration.ofSeconds(10)));
    queue.add(profile("/a"), 20);
    receiver.hold("/a");
    onLoop(dispatcher::wake);
    await().atMost(WAIT).until(() -> receiver.arrivals("/a") == 10);
    assertThat(handoff.reserve(1)).as("no room at all").isEmpty();

    // Records free all the room, and the claim they trigger is held: the room is there, older deliveries still wait.
    queue.holdClaims(true);
    receiver.letGo("/a");
    await().atMost(WAIT).until(() -> queue.heldClaimCount() == 1 && onLoop(dispatcher::held) == 0);
    DeliveryHandoff.Offer during = handoff.reserve(100).orElseThrow();
    handoff.accept(during, List.of());
    assertThat(during.limit()).as("older deliveries wait in the queue: publishes get half the room, claims the rest")
        .isEqualTo(5);

    queue.holdClaims(false);
    onLoop(queue::answerHeldClaim);
    awaitFinished(20);
    onLoop(dispatcher::wake);
    DeliveryHandoff.Offer after = handoff.reserve(100).orElseThrow();
    handoff.accept(after, List.of());
    assertThat(after.limit()).as("the queue is drained: publishes get all the room").isEqualTo(10);
    assertThat(during.roomPerProfile()).as("and of each profile, half while the queue had a backlog")
        .isEqualTo(after.roomPerProfile() / 2).isPositive();
    assertThat(handoff.reserved()).isZero();
  }

  @Test
  void aDeliveryOfAProfileThatVanishedFailsWithoutARequest() {
    start(settings(10, 100, 16, Duration.ofSeconds(2)));
    String id = queue.add("SG_gone", 1).get(0);

    onLoop(dispatcher::wake);
    await().atMost(WAIT).until(() -> queue.finishes().size() == 1);

    AttemptOutcome outcome = queue.finishes().get(0).get(0);
    assertThat(outcome.deliveryId()).isEqualTo(id);
    assertThat(outcome.attempt().error()).isEqualTo("profile not found");
    assertThat(outcome.outcome()).isInstanceOf(DeliveryOutcome.Retry.class);
    assertThat(receiver.arrivals()).isEmpty();
  }

  /** The profiles the dispatcher may load, all at revision 1; it never writes. */
  private final class Profiles implements ProfileStore {

    @Override
    public Future<List<VersionedProfile>> findForDispatch(List<String> profileIds) {
      return Future.succeededFuture(profileIds.stream().filter(profiles::containsKey)
          .map(id -> new VersionedProfile(profiles.get(id), 1)).toList());
    }

    @Override
    public Future<CallbackProfile> insert(CallbackProfile profile) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Optional<CallbackProfile>> find(String sid, String profileId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<ProfilePage> list(String sid, ProfileQuery query) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Optional<CallbackProfile>> update(CallbackProfile profile) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Optional<Integer>> delete(String sid, String profileId) {
      throw new UnsupportedOperationException();
    }
  }
}
