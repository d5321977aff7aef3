package io.callbackengine.store.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.domain.delivery.DeliveryOutcome;
import io.callbackengine.domain.event.IncomingEvent;
import io.callbackengine.domain.profile.FailureStreak;
import io.callbackengine.store.DatabaseSettings;
import io.callbackengine.store.SchemaMigrator;
import io.callbackengine.store.delivery.DeliveryQueue.FinishResult;
import io.callbackengine.store.event.PgEventStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.TemporalUnitOffset;
import org.assertj.core.data.TemporalUnitWithinOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deliveries handed over at publish (V11): no queue row while they are attempted, their publish's handoff row as
 * their lease; recorded from memory by the finish, put back by a release or by the reaper once the lease expired, and
 * a finish that comes after the reaper took them back is dropped, as a claim's is. A claim takes deliveries never
 * attempted out of the queue into handoff rows the same way; retries and ordered deliveries it leases in place.
 */
class HandoffIT {

  private static final String URL = System.getenv().getOrDefault("CALLBACK_TEST_DATABASE_URL",
      "postgresql://postgres@127.0.0.1:5432/postgres");
  private static final String SID = "HXhandoff";
  private static final String PROFILE = "SG_handoff";

  private final String schema = "it_handoff_" + UUID.randomUUID().toString().substring(0, 8);
  private final DatabaseSettings settings = new DatabaseSettings(URL, schema, 2, Duration.ofSeconds(3),
      Duration.ofSeconds(5), Duration.ofSeconds(10));
  private Vertx vertx;
  private Pool pool;
  private PgDeliveryQueue queue;
  private final OfferingHandoff handoff = new OfferingHandoff();

  /** Offers room for every publish, with the lease the test sets, and keeps what each publish leased. */
  private static final class OfferingHandoff implements DeliveryHandoff {
    volatile Duration lease = Duration.ofMinutes(1);
    final List<ClaimedDelivery> leased = new ArrayList<>();
    /** The room each publish asked for. */
    final List<Integer> asked = new ArrayList<>();

    @Override
    public synchronized Optional<Offer> reserve(int deliveries) {
      asked.add(deliveries);
      return Optional.of(new Offer(UUID.randomUUID(), lease, 100, Map.of(), 100));
    }

    @Override
    public synchronized void accept(Offer offer, List<ClaimedDelivery> taken) {
      leased.addAll(taken);
    }
  }

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    pool = PgBuilder.pool().connectingTo(settings.connectOptions()).using(vertx).build();
    join(new SchemaMigrator(settings).migrate(vertx));
    sql("insert into accounts (sid, name, created_at) values ('" + SID + "', 'Handoff', now())");
    sql("""
        insert into profiles (profile_id, sid, title, http_method, url, headers, channel, replacers, signing_secret,
                              created_at)
        values ('%s', '%s', 'Handoff', 'POST', 'http://127.0.0.1:9/x', '{}', 'sms', '{}', '\\x00', now())
        """.formatted(PROFILE, SID));
    queue = new PgDeliveryQueue(pool, new FailureStreak.Policy(Duration.ofDays(1), 1000));
  }

  @AfterEach
  void close() throws Exception {
    join(pool.query("drop schema if exists " + schema + " cascade").execute());
    join(vertx.close());
  }

  @Test
  void aHandedOverDeliveryIsInItsHandoffUntilRecordedAndTheLastOneEndsIt() throws Exception {
    List<ClaimedDelivery> leased = publish(3);

    assertThat(leased).hasSize(3).allMatch(ClaimedDelivery::handedOver);
    assertThat(count("select count(*) from delivery_queue")).as("queue rows").isZero();
    assertThat(count("select count(*) from deliveries where status = 'delivering' and lease_token is not null"))
        .isEqualTo(3);

    FinishResult first = join(queue.finish(List.of(delivered(leased.get(0)), delivered(leased.get(1))), Set.of()));
    assertThat(first.recorded()).isEqualTo(2);
    assertThat(count("select count(*) from deliveries where status = 'delivered'")).isEqualTo(2);
    assertThat(count("select count(*) from deliveries where status = 'delivering'")).isEqualTo(1);
    assertThat(count("select count(*) from delivery_handoff")).isEqualTo(1);

    UUID lease = leased.get(2).leaseToken();
    assertThat(join(queue.finish(List.of(delivered(leased.get(2))), Set.of(lease))).recorded()).isEqualTo(1);
    assertThat(count("select count(*) from deliveries where status = 'delivered'")).isEqualTo(3);
    assertThat(count("select count(*) from delivery_handoff")).as("handoff rows").isZero();
    assertThat(count("select count(*) from delivery_queue")).isZero();
  }

  @Test
  void aPublishAsksForTheRoomItsEventsRecentlyNeededNotFourPerEvent() throws Exception {
    PgEventStore store = new PgEventStore(pool, handoff);
    join(store.publish(SID, events(64)));
    join(store.publish(SID, events(64)));
    synchronized (handoff) {
      assertThat(handoff.asked).as("one profile: room for one delivery per event, a quarter more and four")
          .containsExactly(84, 84);
    }

    for (int i = 2; i <= 4; i++) {
      sql("""
          insert into profiles (profile_id, sid, title, http_method, url, headers, channel, replacers, signing_secret,
                                created_at)
          values ('%s_%d', '%s', 'Handoff %d', 'POST', 'http://127.0.0.1:9/x', '{}', 'sms', '{}', '\\x00', now())
          """.formatted(PROFILE, i, SID, i));
    }
    for (int i = 0; i < 10; i++) {
      join(store.publish(SID, events(64)));
    }
    synchronized (handoff) {
      assertThat(handoff.asked.get(2)).as("the first publish to four profiles still expects one each").isEqualTo(84);
      assertThat(handoff.asked.get(handoff.asked.size() - 1)).as("then more, up to four per event").isEqualTo(256);
    }
  }

  @Test
  void aFinishWrittenAgainAfterItsCommitWentUnseenRecordsNothingTwice() throws Exception {
    List<ClaimedDelivery> leased = publish(2);
    List<AttemptOutcome> first = List.of(delivered(leased.get(0)));
    join(queue.finish(first, Set.of()));

    FinishResult again = join(queue.finish(first, Set.of()));

    assertThat(again.recorded()).isZero();
    assertThat(count("select count(*) from delivery_log")).isEqualTo(1);
    assertThat(count("select count(*) from deliveries where status = 'delivering'")).isEqualTo(1);
  }

  @Test
  void anExpiredHandoffGoesBackToTheQueueAndALateFinishIsDropped() throws Exception {
    // A lease that ended before the publish: expired for the reaper at once, whatever the clocks say.
    handoff.lease = Duration.ofMinutes(-1);
    List<ClaimedDelivery> leased = publish(3);
    join(queue.finish(List.of(delivered(leased.get(0))), Set.of()));

    assertThat(join(queue.reapExpiredLeases())).as("put back").isEqualTo(2);
    assertThat(count("select count(*) from delivery_queue where status = 'pending' and lease_token is null"))
        .isEqualTo(2);
    assertThat(count("select count(*) from delivery_handoff")).isZero();

    FinishResult late = join(queue.finish(List.of(delivered(leased.get(1))), Set.of(leased.get(1).leaseToken())));
    assertThat(late.recorded()).as("recorded after the lease expired").isZero();
    assertThat(count("select count(*) from deliveries where status = 'pending'")).isEqualTo(2);
    assertThat(count("select count(*) from deliveries where status = 'delivered'")).isEqualTo(1);
    assertThat(join(queue.reapExpiredLeases())).as("nothing more to put back").isZero();
  }

  @Test
  void aRetryOfAHandedOverDeliveryIsQueuedWithItsAttempt() throws Exception {
    ClaimedDelivery delivery = publish(1).get(0);
    Instant retryAt = Instant.now().plusSeconds(3600);
    AttemptOutcome retry = AttemptOutcome.of(delivery, attempt(503), DeliveryOutcome.retryAt(retryAt), false);

    assertThat(join(queue.finish(List.of(retry), Set.of(delivery.leaseToken()))).recorded()).isEqualTo(1);

    Row row = join(pool.query("select status, attempt_count, due_at, last_http_status from delivery_queue").execute())
        .iterator().next();
    assertThat(row.getString("status")).isEqualTo("pending");
    assertThat(row.getInteger("attempt_count")).isEqualTo(1);
    assertThat(row.getOffsetDateTime("due_at").toInstant()).isCloseTo(retryAt, within());
    assertThat(row.getInteger("last_http_status")).isEqualTo(503);
    assertThat(count("select count(*) from attempt_log where http_status = 503")).isEqualTo(1);
    assertThat(count("select count(*) from delivery_handoff")).isZero();
  }

  @Test
  void releasedHandedOverDeliveriesAreQueuedUnattempted() throws Exception {
    List<ClaimedDelivery> leased = publish(2);

    assertThat(join(queue.release(leased.get(0).leaseToken(), leased, true))).isEqualTo(2);

    assertThat(count("select count(*) from delivery_queue where status = 'pending' and attempt_count = 0"))
        .isEqualTo(2);
    assertThat(count("select count(*) from delivery_handoff")).isZero();
    assertThat(join(queue.release(leased.get(0).leaseToken(), leased, true))).as("released twice").isZero();
  }

  @Test
  void aClaimTakesDeliveriesNeverAttemptedOutOfTheQueueUnderALeaseRowPerPublish() throws Exception {
    queueAtPublish(2);
    queueAtPublish(1);
    UUID claimToken = UUID.randomUUID();

    List<ClaimedDelivery> claimed = claim(claimToken);

    assertThat(claimed).hasSize(3).allMatch(ClaimedDelivery::handedOver).allMatch(d -> d.attempt() == 1);
    assertThat(claimed).extracting(ClaimedDelivery::leaseToken).doesNotContain(claimToken);
    assertThat(claimed.stream().map(ClaimedDelivery::leaseToken).distinct()).as("one lease per publish").hasSize(2);
    assertThat(count("select count(*) from delivery_queue")).as("queue rows").isZero();
    assertThat(count("select count(*) from delivery_handoff")).isEqualTo(2);
    assertThat(count("select count(*) from deliveries where status = 'delivering' and lease_token is not null"))
        .isEqualTo(3);
    assertThat(claim(UUID.randomUUID())).as("claimed twice").isEmpty();

    List<AttemptOutcome> outcomes = claimed.stream().map(HandoffIT::delivered).toList();
    Set<UUID> leases = Set.copyOf(claimed.stream().map(ClaimedDelivery::leaseToken).toList());
    assertThat(join(queue.finish(outcomes, leases)).recorded()).isEqualTo(3);
    assertThat(count("select count(*) from deliveries where status = 'delivered'")).isEqualTo(3);
    assertThat(count("""
        select count(*) from delivery_log l join event_log e on e.event_id = l.event_id
         and e.created_at = l.event_created_at where l.created_at = e.created_at
        """)).as("logged with their events' creation").isEqualTo(3);
    assertThat(count("select count(*) from delivery_handoff")).as("handoff rows").isZero();
  }

  @Test
  void aClaimedDeliveryWhoseLeaseExpiredGoesBackToTheQueueAndIsClaimedAgain() throws Exception {
    queueAtPublish(2);
    List<ClaimedDelivery> claimed = join(queue.claim(10, UUID.randomUUID(), Duration.ofMinutes(-1), Map.of(), 10));
    assertThat(claimed).hasSize(2);

    assertThat(join(queue.reapExpiredLeases())).as("put back").isEqualTo(2);
    assertThat(count("select count(*) from delivery_queue where status = 'pending' and attempt_count = 0"))
        .isEqualTo(2);
    FinishResult late = join(queue.finish(List.of(delivered(claimed.get(0))), Set.of()));
    assertThat(late.recorded()).as("recorded after the lease expired").isZero();

    List<ClaimedDelivery> again = claim(UUID.randomUUID());
    assertThat(again).extracting(ClaimedDelivery::deliveryId)
        .containsExactlyInAnyOrderElementsOf(claimed.stream().map(ClaimedDelivery::deliveryId).toList());
    assertThat(join(queue.release(again.get(0).leaseToken(), again, true))).as("released").isEqualTo(2);
    assertThat(count("select count(*) from delivery_queue where status = 'pending' and attempt_count = 0"))
        .isEqualTo(2);
    assertThat(count("select count(*) from delivery_handoff")).isZero();
  }

  @Test
  void aRetryIsClaimedInPlaceAndKeepsItsAttemptCount() throws Exception {
    ClaimedDelivery first = publish(1).get(0);
    join(queue.finish(List.of(AttemptOutcome.of(first, attempt(503), DeliveryOutcome.retryAt(Instant.now()), false)),
        Set.of(first.leaseToken())));
    UUID claimToken = UUID.randomUUID();

    List<ClaimedDelivery> claimed = claim(claimToken);

    assertThat(claimed).hasSize(1);
    ClaimedDelivery retry = claimed.get(0);
    assertThat(retry.handedOver()).isFalse();
    assertThat(retry.leaseToken()).isEqualTo(claimToken);
    assertThat(retry.attempt()).isEqualTo(2);
    assertThat(count("select count(*) from delivery_queue where status = 'delivering' and lease_token = '"
        + claimToken + "'")).isEqualTo(1);
    assertThat(count("select count(*) from delivery_handoff")).isZero();

    DeliveryRecord.Attempt second = new DeliveryRecord.Attempt(2, Instant.now(), 5, 200, null, null, List.of());
    assertThat(join(queue.finish(List.of(AttemptOutcome.of(retry, second, DeliveryOutcome.DELIVERED, false)),
        Set.of())).recorded()).isEqualTo(1);
    assertThat(count("select count(*) from deliveries where status = 'delivered' and attempt_count = 2"))
        .isEqualTo(1);
  }

  @Test
  void anOrderedDeliveryIsClaimedInPlace() throws Exception {
    join(new PgEventStore(pool, DeliveryHandoff.NONE).publish(SID,
        List.of(new IncomingEvent(null, "SMS-sent", "sms", null, new JsonObject(), "order-1"))));
    UUID claimToken = UUID.randomUUID();

    List<ClaimedDelivery> claimed = claim(claimToken);

    assertThat(claimed).hasSize(1).noneMatch(ClaimedDelivery::handedOver)
        .allMatch(d -> d.leaseToken().equals(claimToken));
    assertThat(count("select count(*) from delivery_queue where status = 'delivering'")).isEqualTo(1);
  }

  private List<ClaimedDelivery> claim(UUID token) throws Exception {
    return join(queue.claim(10, token, Duration.ofMinutes(1), Map.of(), 10));
  }

  /** Publishes {@code events} with no dispatcher to hand them to: their deliveries wait in the queue. */
  private void queueAtPublish(int events) throws Exception {
    join(new PgEventStore(pool, DeliveryHandoff.NONE).publish(SID, events(events)));
  }

  private List<ClaimedDelivery> publish(int events) throws Exception {
    PgEventStore store = new PgEventStore(pool, handoff);
    synchronized (handoff) {
      handoff.leased.clear();
    }
    join(store.publish(SID, events(events)));
    synchronized (handoff) {
      return List.copyOf(handoff.leased);
    }
  }

  private static List<IncomingEvent> events(int count) {
    List<IncomingEvent> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      events.add(new IncomingEvent(null, "SMS-sent", "sms", null, new JsonObject().put("n", i)));
    }
    return events;
  }

  private static AttemptOutcome delivered(ClaimedDelivery delivery) {
    return AttemptOutcome.of(delivery, attempt(200), DeliveryOutcome.DELIVERED, false);
  }

  private static DeliveryRecord.Attempt attempt(int status) {
    return new DeliveryRecord.Attempt(1, Instant.now(), 5, status, status == 200 ? null : "HTTP " + status, null,
        List.of());
  }

  private static TemporalUnitOffset within() {
    return new TemporalUnitWithinOffset(1, ChronoUnit.MILLIS);
  }

  private long count(String sql) throws Exception {
    return join(pool.query(sql).execute()).iterator().next().getLong(0);
  }

  private void sql(String sql) throws Exception {
    join(pool.query(sql).execute());
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
