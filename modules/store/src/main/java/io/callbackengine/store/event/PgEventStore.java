package io.callbackengine.store.event;

import static io.callbackengine.store.PgTimestamps.utc;

import io.callbackengine.domain.event.AcceptedEvent;
import io.callbackengine.domain.event.EventInput;
import io.callbackengine.domain.event.IncomingEvent;
import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.domain.problem.Violation;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@link EventStore} on PostgreSQL. A publish is one statement, atomic on its own: it matches every event to the
 * account's profiles, inserts the events, inserts one delivery per match (held for a disabled profile), and
 * notifies dispatchers, which PostgreSQL delivers on commit. Publishes that arrive together share that statement
 * and its commit ({@link PublishQueue}). Repeated producer ids and addressed profiles are looked up first, only
 * when a request has them. Routing mirrors {@code ProfileSpec.wantsEvent}.
 */
public final class PgEventStore implements EventStore {

  private static final String REPEATS = """
      select producer_id, event_id, deliveries from events where sid = $1 and producer_id = any($2)
      """;
  private static final String ADDRESSED_PROFILES = """
      select profile_id from profiles where sid = $1 and profile_id = any($2) and deleted_at is null
      """;
  /**
   * $1 accepted-at, $2..$8 the events (account, id, producer id, name, channel, addressed profile, data), of one or
   * several publishes. An addressed event goes to that profile only; otherwise sms profiles take the sms events they
   * list and default-channel profiles the other channels' events they list, or all of them when their list is null.
   * An event of no account, or whose producer id is taken, is not stored and not answered.
   */
  private static final String PUBLISH = """
      with input as (
        select * from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
          with ordinality as i(sid, event_id, producer_id, event, channel, profile_id, data, n)
      ), targets as (
        select i.event_id, p.sid, p.profile_id, p.status
          from input i
          join profiles p on p.sid = i.sid and p.deleted_at is null
           and case when i.profile_id is not null then p.profile_id = i.profile_id
                    else (case when i.channel = 'sms' then p.channel = 'sms' else p.channel <> 'sms' end)
                         and (p.events is null or p.events @> array[i.event]) end
      ), stored as (
        insert into events (event_id, sid, producer_id, event, channel, profile_id, data, deliveries, created_at)
        select i.event_id, i.sid, i.producer_id, i.event, i.channel, i.profile_id, i.data,
               (select count(*) from targets t where t.event_id = i.event_id), $1
          from input i join accounts a on a.sid = i.sid order by i.n
        on conflict (sid, producer_id) where producer_id is not null do nothing
        returning event_id, deliveries
      ), queued as (
        insert into deliveries (delivery_id, event_id, sid, profile_id, status, next_attempt_at, created_at)
        select 'msg_' || replace(gen_random_uuid()::text, '-', ''), t.event_id, t.sid, t.profile_id,
               case when t.status = 1 then 'pending' else 'held' end, $1, $1
          from targets t join stored s on s.event_id = t.event_id
        returning 1
      ), woken as (
        select pg_notify('callback_deliveries_' || current_schema(), '') where exists (select 1 from queued)
      )
      select s.event_id, s.deliveries from stored s cross join (select count(*) from woken) w
      """;
  /**
   * Statements running at once for intake; the rest wait and share (see {@link PublishQueue}). Fewer make bigger
   * shared commits: one event per request over 32 connections, 1 gave 12,000 events/s, 2 gave 9,700, 4 gave 5,500
   * and 8 gave 3,600. Two keep one slot free while a large batch runs.
   */
  private static final int PUBLISH_STATEMENTS = 2;
  /** Events in one shared statement at most; one request alone may hold more. */
  private static final int EVENTS_PER_STATEMENT = 1000;

  private final Pool pool;
  private final PublishQueue<Rows, Map<String, Integer>> queue =
      new PublishQueue<>(PUBLISH_STATEMENTS, EVENTS_PER_STATEMENT, this::store);

  /** One request's new events as rows of the publish statement. */
  private record Rows(String sid, List<String> eventIds, List<IncomingEvent> events) {
  }

  public PgEventStore(Pool pool) {
    this.pool = pool;
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
              Set<String> ids = new java.util.HashSet<>();
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
        });
  }

  /** The publish statement for the rows of one or several requests: answers the events stored, with their deliveries. */
  private Future<Map<String, Integer>> store(List<Rows> publishes) {
    List<String> sids = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    List<IncomingEvent> all = new ArrayList<>();
    publishes.forEach(rows -> {
      rows.events().forEach(e -> sids.add(rows.sid()));
      ids.addAll(rows.eventIds());
      all.addAll(rows.events());
    });
    Tuple args = Tuple.tuple().addOffsetDateTime(utc(Instant.now()))
        .addArrayOfString(sids.toArray(String[]::new))
        .addArrayOfString(ids.toArray(String[]::new))
        .addArrayOfString(all.stream().map(IncomingEvent::producerId).toArray(String[]::new))
        .addArrayOfString(all.stream().map(IncomingEvent::event).toArray(String[]::new))
        .addArrayOfString(all.stream().map(IncomingEvent::channel).toArray(String[]::new))
        .addArrayOfString(all.stream().map(IncomingEvent::profileId).toArray(String[]::new))
        .addArrayOfString(all.stream().map(e -> e.data().encode()).toArray(String[]::new));
    return pool.preparedQuery(PUBLISH).execute(args).map(found -> {
      Map<String, Integer> stored = new HashMap<>();
      for (Row row : found) {
        stored.put(row.getString("event_id"), row.getInteger("deliveries"));
      }
      return stored;
    });
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
          rows.forEach(row -> seen.put(row.getString("producer_id"), new AcceptedEvent(row.getString("event_id"),
              row.getString("producer_id"), row.getInteger("deliveries"), true)));
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
    private final List<String> newIds = new ArrayList<>();
    private final List<IncomingEvent> toStore = new ArrayList<>();
    /** For each event of the request: the event id that answers it. */
    private final List<String> answeredBy = new ArrayList<>();

    Batch(List<IncomingEvent> events, Map<String, AcceptedEvent> seenBefore) {
      this.events = events;
      this.seenBefore = seenBefore;
      Map<String, String> idOfProducerId = new HashMap<>();
      for (IncomingEvent e : events) {
        String producerId = e.producerId();
        if (producerId != null && seenBefore.containsKey(producerId)) {
          answeredBy.add(seenBefore.get(producerId).eventId());
        } else if (producerId != null && idOfProducerId.containsKey(producerId)) {
          answeredBy.add(idOfProducerId.get(producerId));
        } else {
          String eventId = "evt_" + UUID.randomUUID().toString().replace("-", "");
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

    private List<AcceptedEvent> answers(Map<String, Integer> stored, Map<String, AcceptedEvent> raceWinners) {
      List<AcceptedEvent> answers = new ArrayList<>(events.size());
      Map<String, Boolean> answeredOnce = new HashMap<>();
      for (int i = 0; i < events.size(); i++) {
        IncomingEvent e = events.get(i);
        String eventId = answeredBy.get(i);
        if (e.producerId() != null && seenBefore.containsKey(e.producerId())) {
          answers.add(seenBefore.get(e.producerId()));
        } else if (e.producerId() != null && raceWinners.containsKey(e.producerId())) {
          answers.add(raceWinners.get(e.producerId()));
        } else {
          boolean repeat = answeredOnce.put(eventId, true) != null;
          answers.add(new AcceptedEvent(eventId, e.producerId(), stored.getOrDefault(eventId, 0), repeat));
        }
      }
      return answers;
    }
  }
}
