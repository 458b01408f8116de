-- The audit viewer shows who acted by name. An information officer may not read the users
-- table (accounts are the platform admins' and the users' own); this function lends them only
-- the name and address of the actors on the page they are reading, and nothing else.
CREATE FUNCTION audit_actor_names(p_ids uuid[])
    RETURNS TABLE (id uuid, display_name text, email text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS
$$
    SELECT u.id, u.display_name, u.email::text
      FROM users u
     WHERE u.id = ANY (p_ids)
       AND (app_has_role('information_officer') OR app_is_system())
$$;
REVOKE ALL ON FUNCTION audit_actor_names(uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_actor_names(uuid[]) TO rxgate_app;
