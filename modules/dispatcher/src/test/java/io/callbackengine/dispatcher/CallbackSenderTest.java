package io.callbackengine.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.callbackengine.domain.network.AddressPolicy;
import io.callbackengine.domain.network.CidrBlock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** How one attempt is reported when the wire misbehaves, against a real receiver. */
@ExtendWith(VertxExtension.class)
class CallbackSenderTest {

  private Vertx vertx;
  private HoldingReceiver receiver;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    receiver = new HoldingReceiver().start(vertx).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private CallbackSender sender(int connections, Duration connectTimeout, Duration requestTimeout) {
    return new CallbackSender(vertx,
        vertx.httpClientBuilder().with(new HttpClientOptions()).with(new PoolOptions().setHttp1MaxSize(connections)).build(),
        new ConnectGuard(new AddressPolicy(List.of(CidrBlock.parse("127.0.0.1/32"))), HostResolver.system(vertx)),
        connectTimeout, requestTimeout);
  }

  private CallbackRequest request(String path, String id) {
    return new CallbackRequest("POST", receiver.url(path), List.of(Map.entry("webhook-id", id)), Buffer.buffer("{}"),
        Set.of());
  }

  private static SendResult sent(Future<SendResult> sent) throws Exception {
    return sent.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /**
   * The HTTP client applies the connect timeout to getting a connection from its pool too, and reports that with a
   * bare {@code TimeoutException}. It is a connect timeout: nothing was sent (here the pool's only connection is
   * busy; in ProcessLifecycleIT, opening new connections on a starved event loop took longer than the timeout).
   */
  @Test
  void noConnectionWithinTheConnectTimeoutIsAConnectTimeoutAndSendsNothing() throws Exception {
    CallbackSender sender = sender(1, Duration.ofMillis(300), Duration.ofSeconds(10));
    receiver.hold("/busy");
    Future<SendResult> first = sender.send(request("/busy", "msg_1"));
    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.arrivals("/busy") == 1);

    SendResult second = sent(sender.send(request("/busy", "msg_2")));

    assertThat(second.error()).isEqualTo("connect timeout after 300 ms");
    assertThat(second.resultClass()).isEqualTo(SendResult.ResultClass.TIMEOUT);
    assertThat(second.httpStatus()).isNull();
    assertThat(second.durationMs()).isGreaterThanOrEqualTo(300);
    receiver.letGo("/busy");
    assertThat(sent(first).succeeded()).isTrue();
    assertThat(receiver.arrivals()).extracting(HoldingReceiver.Arrival::deliveryId).containsExactly("msg_1");
  }

  @Test
  void anAnswerNotCompleteWithinTheRequestTimeoutIsATimeout() throws Exception {
    CallbackSender sender = sender(4, Duration.ofSeconds(1), Duration.ofMillis(300));
    receiver.hold("/slow");

    SendResult sent = sent(sender.send(request("/slow", "msg_1")));

    assertThat(sent.error()).isEqualTo("timeout: no complete answer within 300 ms");
    assertThat(sent.resultClass()).isEqualTo(SendResult.ResultClass.TIMEOUT);
  }

  @Test
  void aClosedPortIsRefused() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    CallbackRequest request = new CallbackRequest("POST", "http://127.0.0.1:" + closed + "/x", List.of(),
        Buffer.buffer("{}"), Set.of());

    SendResult sent = sent(sender(4, Duration.ofSeconds(1), Duration.ofSeconds(1)).send(request));

    assertThat(sent.error()).isEqualTo("connection refused");
    assertThat(sent.resultClass()).isEqualTo(SendResult.ResultClass.REFUSED);
  }
}
