-- Every change to a profile that readers can see bumps its revision (API updates and deletes, a dispatcher
-- auto-disabling it). Tell every process on commit, so that the profiles they keep in memory are forgotten.
-- The payload is the profile id, which is not a secret.
create function notify_profile_change() returns trigger language plpgsql as $$
begin
  perform pg_notify('callback_profiles_' || tg_table_schema, new.profile_id);
  return null;
end
$$;

create trigger profiles_changed after update on profiles
  for each row when (old.revision is distinct from new.revision) execute function notify_profile_change();
