package io.callbackengine.store.event;

import static io.callbackengine.store.PgTimestamps.utc;

import io.callbackengine.domain.event.AcceptedEvent;
import io.callbackengine.domain.event.EventInput;
import io.callbackengine.domain.event.IncomingEvent;
import io.callbackengine.domain.problem.ClientProblem;
import io.callbackengine.domain.problem.Violation;
import io.callbackengine.store.SqlErrors;
import io.callbackengine.store.delivery.DeliveryWakeup;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@link EventStore} on PostgreSQL. One transaction per request: look up repeats and the matching profiles, insert
 * every event with one statement and every delivery with another, notify dispatchers on commit. Deliveries of a
 * disabled profile are created {@code held}; routing mirrors {@code ProfileSpec.wantsEvent}.
 */
public final class PgEventStore implements EventStore {

  private static final String REPEATS = """
      select producer_id, event_id, deliveries from events where sid = $1 and producer_id = any($2)
      """;
  private static final String ADDRESSED_PROFILES = """
      select profile_id, status from profiles where sid = $1 and profile_id = any($2) and deleted_at is null
      """;
  /** sms profiles take sms events they list; default-channel profiles take other channels' events they list, or all. */
  private static final String MATCHING_PROFILES = """
      select profile_id, status from profiles
      where sid = $1 and deleted_at is null
        and (case when $2 = 'sms' then channel = 'sms' else channel <> 'sms' end)
        and (events is null or events @> array[$3::text])
      """;
  private static final String INSERT_EVENTS = """
      insert into events (event_id, sid, producer_id, event, channel, profile_id, data, deliveries, created_at)
      select e.event_id, $1, e.producer_id, e.event, e.channel, e.profile_id, e.data, e.deliveries, $2
      from unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[])
        as e(event_id, producer_id, event, channel, profile_id, data, deliveries)
      on conflict (sid, producer_id) where producer_id is not null do nothing
      returning event_id
      """;
  private static final String INSERT_DELIVERIES = """
      insert into deliveries (delivery_id, event_id, sid, profile_id, status, next_attempt_at, created_at)
      select d.delivery_id, d.event_id, $1, d.profile_id, d.status, $2, $2
      from unnest($3::text[], $4::text[], $5::text[], $6::text[]) as d(delivery_id, event_id, profile_id, status)
      """;

  private final Pool pool;

  public PgEventStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<List<AcceptedEvent>> publish(String sid, List<IncomingEvent> events) {
    return pool.withTransaction(tx -> publish(tx, sid, events))
        .recover(error -> Future.failedFuture(SqlErrors.isForeignKeyViolation(error)
            ? ClientProblem.notFound("No account exists with this sid", Violation.params("No account exists with sid: " + sid))
            : error));
  }

  private Future<List<AcceptedEvent>> publish(SqlConnection tx, String sid, List<IncomingEvent> events) {
    Instant now = Instant.now();
    Set<String> producerIds = new HashSet<>();
    Set<String> addressed = new HashSet<>();
    Set<String> routes = new HashSet<>();
    for (IncomingEvent e : events) {
      if (e.producerId() != null) {
        producerIds.add(e.producerId());
      }
      if (e.profileId() != null) {
        addressed.add(e.profileId());
      } else {
        routes.add(routeKey(e));
      }
    }
    Future<Map<String, AcceptedEvent>> repeats = repeats(tx, sid, producerIds);
    Future<Map<String, Short>> addressedProfiles = addressed.isEmpty() ? Future.succeededFuture(Map.of())
        : tx.preparedQuery(ADDRESSED_PROFILES).execute(Tuple.tuple().addString(sid).addArrayOfString(addressed.toArray(String[]::new)))
            .map(PgEventStore::statusById);
    Map<String, Future<Map<String, Short>>> matches = new HashMap<>();
    for (String route : routes) {
      String[] parts = route.split("\n", 2);
      matches.put(route, tx.preparedQuery(MATCHING_PROFILES).execute(Tuple.of(sid, parts[0], parts[1]))
          .map(PgEventStore::statusById));
    }
    List<Future<?>> lookups = new ArrayList<>(matches.values());
    lookups.add(repeats);
    lookups.add(addressedProfiles);
    return Future.all(lookups).compose(done -> {
      Fanout fanout = new Fanout(now);
      for (int i = 0; i < events.size(); i++) {
        IncomingEvent e = events.get(i);
        if (e.profileId() != null && !addressedProfiles.result().containsKey(e.profileId())) {
          return Future.failedFuture(EventInput.unknownProfile(i, e.profileId(), events.size() > 1));
        }
        Map<String, Short> targets = e.profileId() != null
            ? Map.of(e.profileId(), addressedProfiles.result().get(e.profileId()))
            : matches.get(routeKey(e)).result();
        fanout.add(e, targets, repeats.result());
      }
      return fanout.write(tx, sid).compose(raced -> raced.isEmpty()
          ? Future.succeededFuture(fanout.accepted)
          : repeats(tx, sid, raced).map(winners -> fanout.replaceRaced(winners)));
    });
  }

  private Future<Map<String, AcceptedEvent>> repeats(SqlConnection tx, String sid, Set<String> producerIds) {
    if (producerIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return tx.preparedQuery(REPEATS).execute(Tuple.tuple().addString(sid).addArrayOfString(producerIds.toArray(String[]::new))).map(rows -> {
      Map<String, AcceptedEvent> seen = new HashMap<>();
      rows.forEach(row -> seen.put(row.getString("producer_id"), new AcceptedEvent(row.getString("event_id"),
          row.getString("producer_id"), row.getInteger("deliveries"), true)));
      return seen;
    });
  }

  private static String routeKey(IncomingEvent e) {
    return e.channel() + "\n" + e.event();
  }

  private static Map<String, Short> statusById(io.vertx.sqlclient.RowSet<Row> rows) {
    Map<String, Short> byId = new LinkedHashMap<>();
    rows.forEach(row -> byId.put(row.getString("profile_id"), row.getShort("status")));
    return byId;
  }

  /** The rows one request adds, and the answer for each event in request order. */
  private static final class Fanout {
    private final OffsetDateTime now;
    private final List<AcceptedEvent> accepted = new ArrayList<>();
    private final Map<String, Integer> firstIndexOfProducerId = new HashMap<>();
    private final List<String> eventIds = new ArrayList<>();
    private final List<String> producerIds = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<String> channels = new ArrayList<>();
    private final List<String> profileIds = new ArrayList<>();
    private final List<String> data = new ArrayList<>();
    private final List<Integer> counts = new ArrayList<>();
    private final List<String> deliveryIds = new ArrayList<>();
    private final List<String> deliveryEvents = new ArrayList<>();
    private final List<String> deliveryProfiles = new ArrayList<>();
    private final List<String> deliveryStatuses = new ArrayList<>();

    Fanout(Instant now) {
      this.now = utc(now);
    }

    void add(IncomingEvent e, Map<String, Short> targets, Map<String, AcceptedEvent> repeats) {
      if (e.producerId() != null && repeats.containsKey(e.producerId())) {
        accepted.add(repeats.get(e.producerId()));
        return;
      }
      if (e.producerId() != null && firstIndexOfProducerId.containsKey(e.producerId())) {
        AcceptedEvent first = accepted.get(firstIndexOfProducerId.get(e.producerId()));
        accepted.add(new AcceptedEvent(first.eventId(), first.producerId(), first.deliveries(), true));
        return;
      }
      String eventId = "evt_" + compactUuid();
      if (e.producerId() != null) {
        firstIndexOfProducerId.put(e.producerId(), accepted.size());
      }
      eventIds.add(eventId);
      producerIds.add(e.producerId());
      names.add(e.event());
      channels.add(e.channel());
      profileIds.add(e.profileId());
      data.add(e.data().encode());
      counts.add(targets.size());
      targets.forEach((profileId, status) -> {
        deliveryIds.add("msg_" + compactUuid());
        deliveryEvents.add(eventId);
        deliveryProfiles.add(profileId);
        deliveryStatuses.add(status == 1 ? "pending" : "held");
      });
      accepted.add(new AcceptedEvent(eventId, e.producerId(), targets.size(), false));
    }

    /** Inserts the rows; the future holds producer ids another transaction stored first (a concurrent repeat). */
    Future<Set<String>> write(SqlConnection tx, String sid) {
      if (eventIds.isEmpty()) {
        return Future.succeededFuture(Set.of());
      }
      Tuple events = Tuple.of(sid, now, eventIds.toArray(String[]::new), producerIds.toArray(String[]::new),
          names.toArray(String[]::new), channels.toArray(String[]::new), profileIds.toArray(String[]::new),
          data.toArray(String[]::new), counts.toArray(Integer[]::new));
      return tx.preparedQuery(INSERT_EVENTS).execute(events).compose(inserted -> {
        Set<String> stored = new HashSet<>();
        inserted.forEach(row -> stored.add(row.getString(0)));
        Set<String> raced = new HashSet<>();
        for (int i = 0; i < eventIds.size(); i++) {
          if (!stored.contains(eventIds.get(i))) {
            raced.add(producerIds.get(i));
          }
        }
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < deliveryIds.size(); i++) {
          if (stored.contains(deliveryEvents.get(i))) {
            keep.add(i);
          }
        }
        if (keep.isEmpty()) {
          return Future.succeededFuture(raced);
        }
        Tuple deliveries = Tuple.of(sid, now,
            keep.stream().map(deliveryIds::get).toArray(String[]::new),
            keep.stream().map(deliveryEvents::get).toArray(String[]::new),
            keep.stream().map(deliveryProfiles::get).toArray(String[]::new),
            keep.stream().map(deliveryStatuses::get).toArray(String[]::new));
        return tx.preparedQuery(INSERT_DELIVERIES).execute(deliveries)
            .compose(rows -> tx.query(DeliveryWakeup.NOTIFY_SQL).execute())
            .map(raced);
      });
    }

    List<AcceptedEvent> replaceRaced(Map<String, AcceptedEvent> winners) {
      List<AcceptedEvent> answers = new ArrayList<>(accepted.size());
      for (AcceptedEvent a : accepted) {
        answers.add(a.producerId() != null && winners.containsKey(a.producerId()) ? winners.get(a.producerId()) : a);
      }
      return answers;
    }
  }

  static String compactUuid() {
    return UUID.randomUUID().toString().replace("-", "");
  }
}
