package io.callbackengine.store.profile;

import io.callbackengine.domain.profile.CallbackProfile;

/** A profile and its revision, which changes with every update: what a dispatcher's cache is keyed by. */
public record VersionedProfile(CallbackProfile profile, long revision) {
}
