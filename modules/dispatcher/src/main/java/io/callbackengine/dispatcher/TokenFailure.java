package io.callbackengine.dispatcher;

/**
 * Why no token could be had for a callback; the message starts with {@code auth:} and becomes the attempt's error
 * as it is, so it never holds a secret, a token or the token server's answer.
 */
class TokenFailure extends RuntimeException {

  TokenFailure(String reason) {
    super("auth: " + reason, null, false, false);
  }
}
