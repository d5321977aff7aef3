package io.callbackengine.producer.example;

import io.callbackengine.producer.CallbackEvent;
import io.callbackengine.producer.ClusterSettings;
import io.callbackengine.producer.EventPublisher;
import io.callbackengine.producer.HazelcastCluster;
import io.callbackengine.producer.PublishOptions;
import io.callbackengine.producer.PublishResult;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A producer in its own JVM: joins the engine's cluster with the {@code CALLBACK_CLUSTER_*} variables the engine
 * uses, publishes {@code --events} {@code SMS-sent} events at {@code --rate} per second over the event bus, and prints
 * one line per event ({@code accepted}, {@code refused} or {@code unanswered}) and a summary. Exits 0 when every
 * event was accepted, 1 otherwise.
 *
 * <pre>
 * CALLBACK_CLUSTER_PORT=5703 CALLBACK_CLUSTER_MEMBERS=127.0.0.1:5701 \
 *     java -jar modules/producer/target/callback-engine-producer-example.jar --sid HX…IN --events 100 --rate 20
 * </pre>
 */
public final class ExampleProducer {

  /** Kept so the level set on them stays: java.util.logging holds loggers weakly. */
  private static final Logger[] QUIET = {Logger.getLogger("com.hazelcast"), Logger.getLogger("io.vertx")};

  private ExampleProducer() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    if (options.containsKey("help") || !options.containsKey("sid")) {
      System.out.println("""
          Usage: java -jar callback-engine-producer-example.jar --sid SID [--events 10] [--rate 10] [--event SMS-sent]
                 [--channel sms] [--timeout 5s] [--attempts 5] [--in-flight 500]
          Joins the cluster named by CALLBACK_CLUSTER_NAME (callback-engine) through CALLBACK_CLUSTER_MEMBERS
          (host:port,...), binding CALLBACK_CLUSTER_HOST (127.0.0.1) and CALLBACK_CLUSTER_PORT (5701; give each JVM on
          one machine its own), and publishes the events to the engines' callback.events address.""");
      System.exit(options.containsKey("help") ? 0 : 2);
    }
    for (Logger logger : QUIET) {
      logger.setLevel(Level.SEVERE);
    }
    String sid = options.get("sid");
    int events = Integer.parseInt(options.getOrDefault("events", "10"));
    double rate = Double.parseDouble(options.getOrDefault("rate", "10"));
    int maxInFlight = Integer.parseInt(options.getOrDefault("in-flight", "500"));
    PublishOptions publishing = PublishOptions.DEFAULT
        .withTimeout(duration(options.getOrDefault("timeout", "5s")))
        .withMaxAttempts(Integer.parseInt(options.getOrDefault("attempts", "5")));
    CallbackEvent template = CallbackEvent.of(sid, options.getOrDefault("event", "SMS-sent"))
        .withChannel(options.getOrDefault("channel", "sms"));

    ClusterSettings cluster = ClusterSettings.fromEnvironment(System.getenv());
    System.out.println("joining cluster " + cluster.name() + " as " + cluster.host() + ":" + cluster.port()
        + " through " + cluster.members());
    Vertx vertx = HazelcastCluster.join(cluster).await();
    System.out.println("joined; publishing " + events + " events at " + rate + "/s");
    Run run = new Run(vertx, new EventPublisher(vertx, publishing), template, events, rate, maxInFlight);
    int status = run.execute();
    vertx.close().await();
    System.exit(status);
  }

  /** One run: an open-loop schedule (event {@code n} is due at {@code n / rate} s), at most maxInFlight unanswered. */
  private static final class Run {

    private final Vertx vertx;
    private final EventPublisher publisher;
    private final CallbackEvent template;
    private final int events;
    private final double rate;
    private final int maxInFlight;
    private final java.util.concurrent.CompletableFuture<Integer> done = new java.util.concurrent.CompletableFuture<>();
    private int sent;
    private int inFlight;
    private int accepted;
    private int duplicates;
    private int retried;
    private int refused;
    private int unanswered;
    private long started;

    Run(Vertx vertx, EventPublisher publisher, CallbackEvent template, int events, double rate, int maxInFlight) {
      this.vertx = vertx;
      this.publisher = publisher;
      this.template = template;
      this.events = events;
      this.rate = rate;
      this.maxInFlight = maxInFlight;
    }

    int execute() throws Exception {
      vertx.runOnContext(start -> {
        started = System.nanoTime();
        vertx.setPeriodic(0, 5, tick -> {
          long due = Math.min(events, (long) ((System.nanoTime() - started) / 1e9 * rate) + 1);
          while (sent < due && inFlight < maxInFlight) {
            publishNext();
          }
          if (sent == events) {
            vertx.cancelTimer(tick);
          }
        });
      });
      return done.get();
    }

    private void publishNext() {
      int n = sent++;
      inFlight++;
      JsonObject data = new JsonObject().put("n", n).put("status", "DELIVRD").put("recipient", "+1555" + (100000 + n));
      publisher.publish(template.withData(data)).onSuccess(result -> {
        inFlight--;
        report(result);
        if (accepted + refused + unanswered == events) {
          System.out.printf("done: %d published in %.1f s: %d accepted (%d duplicate replies, %d after a retry), "
                  + "%d refused, %d unanswered%n", events, (System.nanoTime() - started) / 1e9, accepted, duplicates,
              retried, refused, unanswered);
          done.complete(accepted == events ? 0 : 1);
        }
      });
    }

    private void report(PublishResult result) {
      if (result instanceof PublishResult.Accepted a) {
        accepted++;
        duplicates += a.duplicate() ? 1 : 0;
        retried += a.attempts() > 1 ? 1 : 0;
        System.out.println("accepted id=" + a.id() + " event_id=" + a.eventId() + " deliveries=" + a.deliveries()
            + " duplicate=" + a.duplicate() + " attempts=" + a.attempts());
      } else if (result instanceof PublishResult.Refused r) {
        refused++;
        System.out.println("refused id=" + r.id() + " code=" + r.code() + " attempts=" + r.attempts()
            + " message=" + r.message());
      } else if (result instanceof PublishResult.Unanswered u) {
        unanswered++;
        System.out.println("unanswered id=" + u.id() + " attempts=" + u.attempts() + " last=" + u.lastFailure());
      }
    }
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument " + args[i]);
      }
      String name = args[i].substring(2);
      if (name.equals("help")) {
        options.put(name, "");
      } else if (i + 1 < args.length) {
        options.put(name, args[++i]);
      } else {
        throw new IllegalArgumentException("--" + name + " needs a value");
      }
    }
    return options;
  }

  /** {@code 500ms}, {@code 5s}. */
  private static Duration duration(String text) {
    return text.endsWith("ms") ? Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)))
        : Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - (text.endsWith("s") ? 1 : 0))));
  }
}
