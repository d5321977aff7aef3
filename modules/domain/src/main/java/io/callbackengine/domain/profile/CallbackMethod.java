package io.callbackengine.domain.profile;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The HTTP method a callback is sent with. POST, PUT and PATCH carry a body; GET and DELETE send it as query. */
public enum CallbackMethod {
  GET(false), POST(true), PUT(true), PATCH(true), DELETE(false);

  private final boolean carriesBody;

  CallbackMethod(boolean carriesBody) {
    this.carriesBody = carriesBody;
  }

  public boolean carriesBody() {
    return carriesBody;
  }

  public static Optional<CallbackMethod> fromName(String name) {
    return Arrays.stream(values()).filter(m -> m.name().equals(name)).findFirst();
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(Enum::name).toList();
  }
}
