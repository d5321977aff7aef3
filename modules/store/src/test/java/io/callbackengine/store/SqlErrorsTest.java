package io.callbackengine.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which database failures mean "unavailable, retry later" (503) rather than a defect (500). */
class SqlErrorsTest {

  private static PgException pg(String sqlState) {
    return new PgException("message", "FATAL", sqlState, null);
  }

  @ParameterizedTest
  @ValueSource(strings = {"57P01", "57P02", "57P03", "08006", "08001", "08P01", "53300"})
  void serverSideUnavailabilityStatesAreUnavailable(String sqlState) {
    assertThat(SqlErrors.isUnavailable(pg(sqlState))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"23505", "23503", "42P01", "40001", "57014", "53100"})
  void otherStatesAreNot(String sqlState) {
    assertThat(SqlErrors.isUnavailable(pg(sqlState))).isFalse();
  }

  @Test
  void connectionAndPoolFailuresAreUnavailableAlsoAsCauses() {
    assertThat(SqlErrors.isUnavailable(ClosedConnectionException.INSTANCE)).isTrue();
    assertThat(SqlErrors.isUnavailable(new ConnectException("Connection refused"))).isTrue();
    assertThat(SqlErrors.isUnavailable(new ConnectTimeoutException("connection timed out"))).isTrue();
    assertThat(SqlErrors.isUnavailable(new ConnectionPoolTooBusyException("max wait queue size of 1000"))).isTrue();
    assertThat(SqlErrors.isUnavailable(new VertxException("Timeout waiting for connection", true))).isTrue();
    assertThat(SqlErrors.isUnavailable(new VertxException("Connection is not active now, current status: CLOSED",
        true))).isTrue();
    assertThat(SqlErrors.isUnavailable(new IllegalStateException("wrapped", pg("57P01")))).isTrue();
  }

  @Test
  void aResetOrBrokenSocketUnderAStatementIsUnavailable() {
    // What a statement written to a backend that pg_terminate_backend had just ended fails with.
    assertThat(SqlErrors.isUnavailable(new java.net.SocketException("Connection reset"))).isTrue();
    assertThat(SqlErrors.isUnavailable(new java.io.IOException("Broken pipe"))).isTrue();
    assertThat(SqlErrors.isUnavailable(new java.nio.channels.ClosedChannelException())).isTrue();
  }

  @Test
  void programmingErrorsAreNot() {
    assertThat(SqlErrors.isUnavailable(null)).isFalse();
    assertThat(SqlErrors.isUnavailable(new IllegalStateException("bug"))).isFalse();
    assertThat(SqlErrors.isUnavailable(new VertxException("something else", true))).isFalse();
  }
}
