package io.callbackengine.store.profile;

import io.callbackengine.domain.profile.CallbackProfile;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/** The profiles of every account. Reads and writes are always scoped by sid; deleted profiles are invisible. */
public interface ProfileStore {

  /** Stores a new profile; a 409 problem when the account already has a profile with this title. */
  Future<CallbackProfile> insert(CallbackProfile profile);

  Future<Optional<CallbackProfile>> find(String sid, String profileId);

  Future<ProfilePage> list(String sid, ProfileQuery query);

  /**
   * Replaces the account-defined fields and status; a 409 problem on a title clash; empty when gone. Waiting
   * deliveries follow the status in the same transaction: held unless active, released when active.
   */
  Future<Optional<CallbackProfile>> update(CallbackProfile profile);

  /** Marks the profile deleted and cancels its waiting deliveries: how many; empty when there was no profile. */
  Future<Optional<Integer>> delete(String sid, String profileId);

  /** Profiles by id whatever their account or state (deleted ones too), with their revision: for dispatchers. */
  Future<List<VersionedProfile>> findForDispatch(List<String> profileIds);
}
