package io.callbackengine.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Errors raised before any handler ran (401, 404, 413, a deadline) still answer in their route family's codes. */
class ResponseCodesTest {

  @Test
  void eachFamilyHasItsOwnCodes() {
    assertThat(ResponseCodes.PROFILES).isEqualTo(new ResponseCodes("RBC024", "RBC302"));
    assertThat(ResponseCodes.EVENTS.clientError()).isEqualTo("EVT400");
    assertThat(ResponseCodes.DELIVERIES.success()).isEqualTo("DLV200");
    assertThat(ResponseCodes.GENERAL.clientError()).isEqualTo("GEN400");
  }

  @Test
  void eachFamilyIsKnownByItsPathAlone() {
    assertThat(ResponseCodes.forPath("/v1/HX1/callback/profiles")).isEqualTo(ResponseCodes.PROFILES);
    assertThat(ResponseCodes.forPath("/v1/HX1/callback/profiles/SG_1/deliveries")).isEqualTo(ResponseCodes.PROFILES);
    assertThat(ResponseCodes.forPath("/v1/HX1/callback/events")).isEqualTo(ResponseCodes.EVENTS);
    assertThat(ResponseCodes.forPath("/v1/HX1/callback/deliveries/msg_1/retry")).isEqualTo(ResponseCodes.DELIVERIES);
    assertThat(ResponseCodes.forPath("/admin")).isEqualTo(ResponseCodes.ADMIN);
    assertThat(ResponseCodes.forPath("/admin/accounts/HX1")).isEqualTo(ResponseCodes.ADMIN);
  }

  @Test
  void pathsOutsideEveryFamilyAreGeneral() {
    for (String path : new String[] {"/", "/foo", "/v1", "/v1/", "/v1/HX1", "/v1/HX1/", "/v1/HX1/callback",
        "/v1/HX1/callback/", "/v1/HX1/callback/nothing", "/v1/HX1/callback/profilesX", "/v1//callback/profiles",
        "/v2/HX1/callback/profiles", "/administrator", "/health/live", "/health/ready", "/openapi.yaml"}) {
      assertThat(ResponseCodes.forPath(path)).as(path).isEqualTo(ResponseCodes.GENERAL);
    }
    assertThat(ResponseCodes.forPath(null)).isEqualTo(ResponseCodes.GENERAL);
  }
}
