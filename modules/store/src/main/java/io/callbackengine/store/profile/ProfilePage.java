package io.callbackengine.store.profile;

import io.callbackengine.domain.profile.CallbackProfile;
import java.util.List;

/** One page of profiles and how many match in all. */
public record ProfilePage(List<CallbackProfile> profiles, long total) {
}
