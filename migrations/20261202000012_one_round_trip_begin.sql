-- A request's transaction opens in one round trip: the statement that checks the caller's
-- session and sets the row-level-security context is sent in the same simple-query message as
-- BEGIN (and, for reads whose audit events are known before the read, with those events). Before,
-- BEGIN, the context and each audit event were separate round trips, which bounded the
-- throughput of every audited read on a small machine.
--
-- app_enter raises RX401 when the session has ended; sent before BEGIN in that message, the
-- failure rolls the implicit transaction back, so the connection returns to the pool idle.

CREATE FUNCTION app_enter(p_user_id text, p_roles text, p_clinic_ids text, p_pharmacy_ids text,
                          p_system text, p_request_id text, p_clinic_roles text, p_session uuid)
    RETURNS void LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS
$$
BEGIN
    IF p_session IS NOT NULL AND NOT app_session_live(p_session) THEN
        RAISE EXCEPTION 'session ended' USING ERRCODE = 'RX401';
    END IF;
    PERFORM set_config('app.user_id', p_user_id, true),
            set_config('app.roles', p_roles, true),
            set_config('app.clinic_ids', p_clinic_ids, true),
            set_config('app.pharmacy_ids', p_pharmacy_ids, true),
            set_config('app.system', p_system, true),
            set_config('app.request_id', p_request_id, true),
            set_config('app.clinic_roles', p_clinic_roles, true);
END
$$;
GRANT EXECUTE ON FUNCTION app_enter(text, text, text, text, text, text, text, uuid) TO rxgate_app;
