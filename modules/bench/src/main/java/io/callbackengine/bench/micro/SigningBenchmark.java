package io.callbackengine.bench.micro;

import io.callbackengine.domain.signing.SigningSecret;
import io.callbackengine.domain.signing.WebhookSignature;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to compute the {@code webhook-signature} header with {@link WebhookSignature#sign}: HMAC-SHA256 over
 * {@code id.timestamp.body} for the rendered {@link SampleDelivery} body (about 1 KiB) with one secret, the usual
 * case outside a key rotation.
 *
 * <p>Every attempt is signed afresh (its timestamp changes), on the dispatcher's event loop, so this is paid once
 * per attempt, and once more per extra secret while a rotation is in progress.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Benchmark)
public class SigningBenchmark {

  private static final String DELIVERY_ID = "dl_01JXQ4M8R7B2ZK5N3V6W9Y0C1D";
  private static final long TIMESTAMP_SECONDS = 1_749_892_868L;

  private byte[] body;
  private List<SigningSecret> secrets;

  @Setup
  public void prepare() {
    body = SampleDelivery.renderedBody().toBuffer().getBytes();
    secrets = List.of(SigningSecret.generate(new SecureRandom()));
  }

  @Benchmark
  public String sign() {
    return WebhookSignature.sign(DELIVERY_ID, TIMESTAMP_SECONDS, body, secrets);
  }
}
