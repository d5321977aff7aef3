package io.callbackengine.store.event;

import static io.callbackengine.store.PgTimestamps.utc;

import io.callbackengine.domain.delivery.DeliveryStatus;
import io.callbackengine.domain.event.AcceptedEvent;
import io.callbackengine.domain.event.EventInput;
import io.callbackengine.domain.event.IncomingEvent;
import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.domain.problem.Violation;
import io.callbackengine.domain.profile.ProfileStatus;
import io.callbackengine.store.TimeOrderedIds;
import io.callbackengine.store.delivery.ClaimedDelivery;
import io.callbackengine.store.delivery.DeliveryHandoff;
import io.callbackengine.store.SqlErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@link EventStore} on PostgreSQL. A publish is one statement, atomic on its own: it matches every event to the
 * account's profiles, inserts the events into the log, leases the deliveries this process's dispatcher has room for
 * ({@link DeliveryHandoff}: one {@code delivery_handoff} row, no queue row), inserts the others into the queue (held
 * for a disabled profile), and notifies dispatchers of those, which PostgreSQL delivers on commit. Publishes that
 * arrive together share that statement and its commit ({@link PublishQueue}). Repeated producer ids and addressed
 * profiles are looked up first, only when a request has them. Which profiles take an event (API.md §5) is decided in
 * the statement alone: see {@code PUBLISH}.
 */
public final class PgEventStore implements EventStore {

  private static final String REPEATS = """
      select producer_id, event_id, deliveries from event_log where sid = $1 and producer_id = any($2)
      """;
  private static final String ADDRESSED_PROFILES = """
      select profile_id from profiles where sid = $1 and profile_id = any($2) and deleted_at is null
      """;
  /**
   * $1 accepted-at, $2..$8 the events (account, id, producer id, name, channel, addressed profile, data), of one or
   * several publishes. An addressed event goes to that profile only; otherwise sms profiles take the sms events they
   * list and default-channel profiles the other channels' events they list, or all of them when their list is null
   * (but the engine's own events, channel {@code engine}, only when they list them).
   * An event of no account, or whose producer id is taken, is not stored and not answered.
   *
   * <p>$9..$13 the hand-off ({@link DeliveryHandoff.Offer}; $9 null for none): deliveries of active profiles within
   * the offer (in all $11; for a busy profile its room in the JSON object $12, for any other $13) are leased: recorded
   * together in one {@code delivery_handoff} row (V11), which is their lease, and answered with their profile's
   * revision; the others wait in the queue, and only then are dispatchers woken. A delivery id takes its event id's
   * time (first 48 bits), so it is time-ordered too. The answer has a row per stored event, then a row per leased
   * delivery.
   *
   * <p>$14 the events' ordering keys (API.md §14): a delivery with a key takes the next {@code ordering_seq}, in
   * publish order; it is never handed over, and it waits ({@code due_at} infinity, see V8) when an earlier delivery
   * of its profile and key is still in the queue or earlier in this statement.
   *
   * <p>No step may cost more than linear time in the statement's size (bar sorting), whatever plan PostgreSQL picks.
   * It cannot know how many rows a CTE or an unnested array holds, and guesses one or two, so it may join two of
   * them as a nested loop: quadratic. Until 2026-12-04 the stored events were joined to their targets so, and a
   * publish of 1,000 events took 245 ms instead of 30 (README, Performance); with one profile, the fan-out counts
   * were joined to the events so too. So no two statement-built sets are joined here: the fan-out is counted by a
   * window over the one join of the events with the profiles table; which targets belong to a stored event is found
   * by sorting both together by event id ({@code kept}); a busy profile's room is looked up in a JSON object.
   */
  static final String PUBLISH = """
      with input as (
        select * from unnest($2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                             $14::text[])
          with ordinality as i(sid, event_id, producer_id, event, channel, profile_id, data, ordering_key, n)
      ), targets as (
        -- A row per event of an account and profile that takes it, or one with no target when none does.
        select i.*, p.profile_id as target, p.status, p.revision,
               count(p.profile_id) over (partition by i.n) as deliveries,
               row_number() over (partition by i.n) = 1 as event_row
          from input i
          join accounts a on a.sid = i.sid
          left join profiles p on p.sid = i.sid and p.deleted_at is null
           and case when i.profile_id is not null then p.profile_id = i.profile_id
                    else (case when i.channel = 'sms' then p.channel = 'sms' else p.channel <> 'sms' end)
                         and ((p.events is null and i.channel <> 'engine') or p.events @> array[i.event]) end
      ), stored as (
        insert into event_log (event_id, sid, producer_id, event, channel, profile_id, data, deliveries, created_at)
        select event_id, sid, producer_id, event, channel, profile_id, data, deliveries, $1
          from targets where event_row order by n
        on conflict do nothing
        returning event_id, deliveries
      ), kept as (
        -- The targets of the events stored, found by sorting both together by event id.
        select * from (
          select u.*, bool_or(u.is_stored) over (partition by u.event_id) as event_stored
            from (select event_id, n, ordering_key, sid, target, status, revision, false as is_stored
                    from targets where target is not null
                  union all
                  select event_id, null, null, null, null, null, null, true from stored) u
        ) k
         where not is_stored and event_stored
      ), routed as materialized (
        select t.event_id, t.n, t.sid, t.target as profile_id, t.status, t.revision, t.ordering_key,
               encode(overlay(uuid_send(gen_random_uuid()) placing substring(uuid_send(t.event_id) from 1 for 6)
                              from 1 for 6), 'hex')::uuid as delivery_id,
               $9::uuid is not null and t.status = :active and t.ordering_key is null
                 and row_number() over (partition by t.target order by t.n)
                     <= coalesce(((select $12::jsonb) ->> t.target)::int, $13)
                 and row_number() over (order by t.n) <= $11 as leased,
               t.ordering_key is not null
                 and (row_number() over (partition by t.target, t.ordering_key order by t.n) > 1
                      or exists (select 1 from delivery_queue k
                                  where k.profile_id = t.target and k.ordering_key = t.ordering_key)) as behind
          from kept t
      ), queued as (
        insert into delivery_queue (delivery_id, event_id, event_created_at, sid, profile_id, status, due_at,
                                    created_at, ordering_key, ordering_seq)
        select r.delivery_id, r.event_id, $1, r.sid, r.profile_id,
               case when r.status = :active then ':pending' else ':held' end,
               case when r.behind then 'infinity'::timestamptz else $1 end, $1, r.ordering_key,
               case when r.ordering_key is not null then nextval('delivery_ordering_seq') end
          from (select * from routed where not leased order by n) r
        returning status, due_at
      ), handed as (
        insert into delivery_handoff (lease_token, accepted_at, expires_at, delivery_ids, event_ids, sids, profile_ids)
        select $9, $1, $1 + $10::bigint * interval '1 millisecond', array_agg(delivery_id order by n),
               array_agg(event_id order by n), array_agg(sid order by n), array_agg(profile_id order by n)
          from routed where leased
        having count(*) > 0
      ), woken as (
        select pg_notify('callback_deliveries_' || current_schema(), '')
         where exists (select 1 from queued where status = ':pending' and due_at <> 'infinity')
      )
      select s.event_id, s.deliveries, null::uuid as delivery_id, null::text as profile_id, null::bigint as revision
        from stored s cross join (select count(*) from woken) w
      union all
      select r.event_id, null, r.delivery_id, r.profile_id, r.revision from routed r where r.leased
      """
      .replace(":active", Integer.toString(ProfileStatus.ACTIVE.code()))
      .replace(":pending", DeliveryStatus.PENDING.sql())
      .replace(":held", DeliveryStatus.HELD.sql());
  /**
   * Statements running at once for intake; the rest wait and share (see {@link PublishQueue}). Fewer make bigger
   * shared commits: one event per request over 32 connections, 1 gave 12,000 events/s, 2 gave 9,700, 4 gave 5,500
   * and 8 gave 3,600. Two keep one slot free while a large batch runs.
   */
  private static final int PUBLISH_STATEMENTS = 2;
  /**
   * Deliveries per event a publish asks the local dispatcher room for at most (see {@link DeliveryHandoff#reserve}).
   * It asks for what the recent fan-out suggests ({@link #fanOut}), with a margin: asking four per event, as until
   * 2026-12-02, two statements of 64 events held all of a dispatcher's 512 in room while they ran, so the next
   * publish found none and queued all its deliveries, for a claim to take at twice the database work.
   */
  private static final int DELIVERIES_PER_EVENT = 4;
  /** How much of the latest statement's fan-out goes into {@link #fanOut}. */
  private static final double FAN_OUT_WEIGHT = 0.2;
  /** Events in one shared statement at most; one request alone may hold more. */
  private static final int EVENTS_PER_STATEMENT = 1000;

  private final Pool pool;
  private final DeliveryHandoff handoff;
  private final PublishQueue<Rows, Map<UUID, Integer>> queue =
      new PublishQueue<>(PUBLISH_STATEMENTS, EVENTS_PER_STATEMENT, this::store);
  /** Deliveries per stored event, averaged over recent statements; read and written by any event loop. */
  private volatile double fanOut = 1;

  /** One request's new events as rows of the publish statement. */
  private record Rows(String sid, List<UUID> eventIds, List<IncomingEvent> events) {
  }

  public PgEventStore(Pool pool, DeliveryHandoff handoff) {
    this.pool = pool;
    this.handoff = handoff;
  }

  @Override
  public Future<List<AcceptedEvent>> publish(String sid, List<IncomingEvent> events) {
    Set<String> producerIds = new LinkedHashSet<>();
    Set<String> addressed = new LinkedHashSet<>();
    events.forEach(e -> {
      if (e.producerId() != null) {
        producerIds.add(e.producerId());
      }
      if (e.profileId() != null) {
        addressed.add(e.profileId());
      }
    });
    Future<Map<String, AcceptedEvent>> repeats = repeats(sid, producerIds);
    Future<Set<String>> known = addressed.isEmpty() ? Future.succeededFuture(Set.of())
        : pool.preparedQuery(ADDRESSED_PROFILES).execute(Tuple.tuple().addString(sid).addArrayOfString(addressed.toArray(String[]::new)))
            .map(rows -> {
              Set<String> ids = new HashSet<>();
              rows.forEach(row -> ids.add(row.getString(0)));
              return ids;
            });
    return Future.all(repeats, known)
        .compose(done -> {
          for (int i = 0; i < events.size(); i++) {
            String profileId = events.get(i).profileId();
            if (profileId != null && !known.result().contains(profileId)) {
              return Future.failedFuture(EventInput.unknownProfile(i, profileId, events.size() > 1));
            }
          }
          Batch batch = new Batch(events, repeats.result());
          return batch.store(sid);
        })
        .recover(SqlErrors::translated);
  }

  /**
   * The publish statement for the rows of one or several requests: answers the events stored, with their deliveries,
   * and hands the deliveries it leased to this process's dispatcher once committed.
   */
  private Future<Map<UUID, Integer>> store(List<Rows> publishes) {
    List<String> sids = new ArrayList<>();
    List<UUID> ids = new ArrayList<>();
    List<IncomingEvent> all = new ArrayList<>();
    Map<UUID, Integer> indexOf = new HashMap<>();
    publishes.forEach(rows -> {
      rows.events().forEach(e -> sids.add(rows.sid()));
      rows.eventIds().forEach(id -> indexOf.put(id, indexOf.size()));
      ids.addAll(rows.eventIds());
      all.addAll(rows.events());
    });
    // In microseconds, as PostgreSQL keeps it: a handed-over delivery's finish finds its handoff row by it.
    Instant acceptedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    String[] data = all.stream().map(e -> e.data().encode()).toArray(String[]::new);
    // Room for the recent fan-out and a quarter more; what does not fit is queued.
    Optional<DeliveryHandoff.Offer> offer = handoff.reserve(roomFor(all.size()));
    Tuple args = Tuple.tuple().addOffsetDateTime(utc(acceptedAt))
        .addArrayOfString(sids.toArray(String[]::new))
        .addArrayOfUUID(ids.toArray(UUID[]::new))
        .addArrayOfString(all.stream().map(IncomingEvent::producerId).toArray(String[]::new))
        .addArrayOfString(all.stream().map(IncomingEvent::event).toArray(String[]::new))
        .addArrayOfString(all.stream().map(IncomingEvent::channel).toArray(String[]::new))
        .addArrayOfString(all.stream().map(IncomingEvent::profileId).toArray(String[]::new))
        .addArrayOfString(data);
    JsonObject rooms = new JsonObject();
    offer.ifPresent(o -> o.busyProfiles().forEach(rooms::put));
    args.addUUID(offer.map(DeliveryHandoff.Offer::leaseToken).orElse(null))
        .addLong(offer.map(o -> o.lease().toMillis()).orElse(0L))
        .addInteger(offer.map(DeliveryHandoff.Offer::limit).orElse(0))
        .addJsonObject(rooms)
        .addInteger(offer.map(DeliveryHandoff.Offer::roomPerProfile).orElse(0))
        .addArrayOfString(all.stream().map(IncomingEvent::orderingKey).toArray(String[]::new));
    Future<Map<UUID, Integer>> stored = pool.preparedQuery(PUBLISH).execute(args).map(found -> {
      Map<UUID, Integer> events = new HashMap<>();
      List<ClaimedDelivery> leased = new ArrayList<>();
      for (Row row : found) {
        UUID eventId = row.getUUID("event_id");
        UUID deliveryId = row.getUUID("delivery_id");
        if (deliveryId == null) {
          events.put(eventId, row.getInteger("deliveries"));
        } else {
          int i = indexOf.get(eventId);
          IncomingEvent e = all.get(i);
          leased.add(ClaimedDelivery.handedOver(TimeOrderedIds.format(TimeOrderedIds.DELIVERY, deliveryId),
              row.getString("profile_id"), row.getLong("revision"), sids.get(i), offer.get().leaseToken(), acceptedAt,
              TimeOrderedIds.format(TimeOrderedIds.EVENT, eventId), e.event(), e.channel(), e.data()));
        }
      }
      offer.ifPresent(o -> handoff.accept(o, leased));
      observeFanOut(events);
      return events;
    });
    return stored.onFailure(e -> offer.ifPresent(o -> handoff.accept(o, List.of())));
  }

  /** The room a statement of {@code events} events asks for: the recent fan-out and a quarter more, plus four. */
  private int roomFor(int events) {
    return (int) Math.min((long) DELIVERIES_PER_EVENT * events, (long) Math.ceil(events * fanOut * 1.25) + 4);
  }

  private void observeFanOut(Map<UUID, Integer> stored) {
    if (stored.isEmpty()) {
      return;
    }
    long deliveries = 0;
    for (int n : stored.values()) {
      deliveries += n;
    }
    fanOut = (1 - FAN_OUT_WEIGHT) * fanOut + FAN_OUT_WEIGHT * deliveries / stored.size();
  }

  private static ClientProblem noAccount(String sid) {
    return ClientProblem.notFound("No account exists with this sid", Violation.params("No account exists with sid: " + sid));
  }

  private Future<Map<String, AcceptedEvent>> repeats(String sid, Set<String> producerIds) {
    if (producerIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery(REPEATS).execute(Tuple.tuple().addString(sid).addArrayOfString(producerIds.toArray(String[]::new)))
        .map(rows -> {
          Map<String, AcceptedEvent> seen = new HashMap<>();
          rows.forEach(row -> seen.put(row.getString("producer_id"), new AcceptedEvent(
              TimeOrderedIds.format(TimeOrderedIds.EVENT, row.getUUID("event_id")), row.getString("producer_id"),
              row.getInteger("deliveries"), true)));
          return seen;
        });
  }

  /**
   * One request's events: those to store (new producer ids, or none), and for each event of the request which
   * stored event answers it (itself, an earlier one with the same producer id, or one seen before).
   */
  private final class Batch {
    private final List<IncomingEvent> events;
    private final Map<String, AcceptedEvent> seenBefore;
    private final List<UUID> newIds = new ArrayList<>();
    private final List<IncomingEvent> toStore = new ArrayList<>();
    /** For each event of the request: the event id that answers it. */
    private final List<UUID> answeredBy = new ArrayList<>();

    Batch(List<IncomingEvent> events, Map<String, AcceptedEvent> seenBefore) {
      this.events = events;
      this.seenBefore = seenBefore;
      Map<String, UUID> idOfProducerId = new HashMap<>();
      for (IncomingEvent e : events) {
        String producerId = e.producerId();
        if (producerId != null && seenBefore.containsKey(producerId)) {
          answeredBy.add(null); // answered by the earlier event, as it was answered then
        } else if (producerId != null && idOfProducerId.containsKey(producerId)) {
          answeredBy.add(idOfProducerId.get(producerId));
        } else {
          UUID eventId = TimeOrderedIds.next();
          if (producerId != null) {
            idOfProducerId.put(producerId, eventId);
          }
          newIds.add(eventId);
          toStore.add(e);
          answeredBy.add(eventId);
        }
      }
    }

    Future<List<AcceptedEvent>> store(String sid) {
      if (toStore.isEmpty()) {
        return Future.succeededFuture(answers(Map.of(), Map.of()));
      }
      return queue.submit(new Rows(sid, newIds, toStore), toStore.size()).compose(stored -> {
        Set<String> raced = new LinkedHashSet<>();
        for (int i = 0; i < newIds.size(); i++) {
          if (!stored.containsKey(newIds.get(i))) {
            if (toStore.get(i).producerId() == null) {
              return Future.failedFuture(noAccount(sid));
            }
            raced.add(toStore.get(i).producerId());
          }
        }
        // Another request stored the same producer id between our look-up and our insert: answer with its event.
        return (raced.isEmpty() ? Future.succeededFuture(Map.<String, AcceptedEvent>of()) : repeats(sid, raced))
            .compose(winners -> winners.keySet().containsAll(raced) ? Future.succeededFuture(answers(stored, winners))
                : Future.failedFuture(noAccount(sid)));
      });
    }

    private List<AcceptedEvent> answers(Map<UUID, Integer> stored, Map<String, AcceptedEvent> raceWinners) {
      List<AcceptedEvent> answers = new ArrayList<>(events.size());
      Set<UUID> answeredOnce = new HashSet<>();
      for (int i = 0; i < events.size(); i++) {
        IncomingEvent e = events.get(i);
        UUID eventId = answeredBy.get(i);
        if (e.producerId() != null && seenBefore.containsKey(e.producerId())) {
          answers.add(seenBefore.get(e.producerId()));
        } else if (e.producerId() != null && raceWinners.containsKey(e.producerId())) {
          answers.add(raceWinners.get(e.producerId()));
        } else {
          boolean repeat = !answeredOnce.add(eventId);
          answers.add(new AcceptedEvent(TimeOrderedIds.format(TimeOrderedIds.EVENT, eventId), e.producerId(),
              stored.getOrDefault(eventId, 0), repeat));
        }
      }
      return answers;
    }
  }
}
