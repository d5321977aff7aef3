package io.callbackengine.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResponseCodesTest {

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
        "/v2/HX1/callback/profiles", "/administrator", "/health/live"}) {
      assertThat(ResponseCodes.forPath(path)).as(path).isEqualTo(ResponseCodes.GENERAL);
    }
    assertThat(ResponseCodes.forPath(null)).isEqualTo(ResponseCodes.GENERAL);
  }
}
