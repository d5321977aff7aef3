package io.callbackengine.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.callbackengine.app.Receiver.Answer;
import io.callbackengine.app.TestEngine.TestAccount;
import io.callbackengine.dispatcher.HostResolver;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * DNS rebinding, played entirely on this machine: a host name first resolves to an allowed address (127.0.0.2,
 * opened by CALLBACK_ALLOWED_CIDRS, standing in for a public receiver), then to 127.0.0.1. The loopback listener must
 * receive nothing: every attempt connects to the address it vetted, never to a fresh lookup.
 */
class DnsRebindingIT {

  @Test
  void aNameThatRebindsToLoopbackNeverReachesIt() throws Exception {
    String schema = TestEngine.freshSchema(DnsRebindingIT.class);
    Map<String, String> env = TestEngine.dispatchEnvironment(schema);
    env.put("CALLBACK_ALLOWED_CIDRS", "127.0.0.2/32");
    env.put("CALLBACK_RETRY_SCHEDULE", "100ms,100ms");
    AtomicInteger lookups = new AtomicInteger();
    InetAddress allowed = InetAddress.getByAddress("rebind.example", new byte[] {127, 0, 0, 2});
    InetAddress loopback = InetAddress.getByAddress("rebind.example", new byte[] {127, 0, 0, 1});
    HostResolver rebinding = host -> Future.succeededFuture(List.of(lookups.getAndIncrement() == 0 ? allowed : loopback));

    try (Receiver publicLooking = Receiver.start("127.0.0.2").answering(n -> Answer.status(500));
         // the loopback listener shares the port number, so only the address decides where a connection lands
         Receiver internal = Receiver.startOn("127.0.0.1", publicLooking.port());
         TestEngine engine = TestEngine.start(schema, env, rebinding)) {
      TestAccount account = engine.createAccount("Rebinding");
      engine.createProfile(account, ProfileApiIT.minimal("Rebinder")
          .put("url", "http://rebind.example:" + publicLooking.port() + "/cb").put("channel", "sms").put("events", "SMS-sent"));
      engine.publish(account, new JsonObject().put("event", "SMS-sent"));
      String deliveryId = engine.sql("select delivery_id from deliveries").iterator().next().getString(0);

      JsonArray attempts = engine.awaitDelivery(account, deliveryId, "failed", Duration.ofSeconds(15)).getJsonArray("attempts");

      assertThat(publicLooking.arrivals).hasSize(1);
      assertThat(attempts.getJsonObject(0).getInteger("http_status")).isEqualTo(500);
      assertThat(attempts.getJsonObject(1).getString("error")).isEqualTo("blocked address: loopback address");
      assertThat(attempts.getJsonObject(2).getString("error")).isEqualTo("blocked address: loopback address");
      assertThat(internal.arrivals).isEmpty();
      assertThat(lookups.get()).isEqualTo(3);
    }
  }
}
