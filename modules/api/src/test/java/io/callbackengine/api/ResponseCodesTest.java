package io.callbackengine.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Errors raised before any handler ran (401, 404, 413, a deadline) still answer in their route family's codes. */
class ResponseCodesTest {

  @Test
  void profileRoutesKeepKaleyrasCodes() {
    assertThat(ResponseCodes.forPath("/v1/HX1/callback/profiles")).isEqualTo(ResponseCodes.PROFILES);
    assertThat(ResponseCodes.forPath("/v1/HX1/callback/profiles/SG_1")).isEqualTo(ResponseCodes.PROFILES);
    assertThat(ResponseCodes.PROFILES).isEqualTo(new ResponseCodes("RBC024", "RBC302"));
  }

  @Test
  void aProfilesDeliveryListingIsAProfileRoute() {
    // DeliveryResource answers this listing with the profile codes too (RBC024).
    assertThat(ResponseCodes.forPath("/v1/HX1/callback/profiles/SG_1/deliveries")).isEqualTo(ResponseCodes.PROFILES);
  }

  @Test
  void eventAndDeliveryRoutesHaveTheirOwn() {
    assertThat(ResponseCodes.forPath("/v1/HX1/callback/events")).isEqualTo(ResponseCodes.EVENTS);
    assertThat(ResponseCodes.forPath("/v1/HX1/callback/deliveries/msg_1")).isEqualTo(ResponseCodes.DELIVERIES);
    assertThat(ResponseCodes.forPath("/v1/HX1/callback/deliveries/msg_1/retry")).isEqualTo(ResponseCodes.DELIVERIES);
    assertThat(ResponseCodes.EVENTS.clientError()).isEqualTo("EVT400");
    assertThat(ResponseCodes.DELIVERIES.success()).isEqualTo("DLV200");
  }

  @Test
  void adminRoutesAnswerInAdminCodes() {
    assertThat(ResponseCodes.forPath("/admin/accounts")).isEqualTo(ResponseCodes.ADMIN);
    assertThat(ResponseCodes.forPath("/admin/accounts/HX1/keys")).isEqualTo(ResponseCodes.ADMIN);
  }

  @Test
  void anythingElseIsGeneral() {
    assertThat(ResponseCodes.forPath(null)).isEqualTo(ResponseCodes.GENERAL);
    assertThat(ResponseCodes.forPath("/")).isEqualTo(ResponseCodes.GENERAL);
    assertThat(ResponseCodes.forPath("/v1")).as("no trailing slash: not under /v1/").isEqualTo(ResponseCodes.GENERAL);
    assertThat(ResponseCodes.forPath("/health/ready")).isEqualTo(ResponseCodes.GENERAL);
    assertThat(ResponseCodes.forPath("/openapi.yaml")).isEqualTo(ResponseCodes.GENERAL);
  }
}
