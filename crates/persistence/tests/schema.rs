//! Schema-wide invariants: every table of the application is under forced row-level security
//! with at least one policy, and every foreign key has an index (a delete of the parent would
//! otherwise scan the child, and joins on it go slow).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use sqlx::PgPool;

#[sqlx::test(migrations = "../../migrations")]
async fn every_table_has_forced_row_level_security_and_a_policy(pool: PgPool) {
    let unprotected: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text
           FROM pg_class c
          WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
            -- sqlx's own migration history: the application role may only read it.
            AND c.relname <> '_sqlx_migrations'
            AND (NOT c.relrowsecurity OR NOT c.relforcerowsecurity
                 OR NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))
          ORDER BY 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(
        unprotected.is_empty(),
        "tables without forced row-level security or without a policy: {unprotected:?}"
    );
}

#[sqlx::test(migrations = "../../migrations")]
async fn every_foreign_key_has_an_index(pool: PgPool) {
    let missing: Vec<String> = sqlx::query_scalar(
        "SELECT format('%s(%s)', c.conrelid::regclass,
                       string_agg(a.attname, ', ' ORDER BY k.n))
           FROM pg_constraint c
          CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
          WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace
            -- An index whose leading columns are the key's columns (in any order) serves it.
            AND NOT EXISTS (
                SELECT 1 FROM pg_index i
                 WHERE i.indrelid = c.conrelid
                   AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
                   AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey)
          GROUP BY c.conrelid, c.conname
          ORDER BY 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(
        missing.is_empty(),
        "foreign keys without an index: {missing:?}"
    );
}

#[sqlx::test(migrations = "../../migrations")]
async fn every_security_definer_function_pins_its_search_path(pool: PgPool) {
    let loose: Vec<String> = sqlx::query_scalar(
        "SELECT p.oid::regprocedure::text
           FROM pg_proc p
          WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef
            AND NOT EXISTS (SELECT 1 FROM unnest(coalesce(p.proconfig, '{}')) cfg
                             WHERE cfg LIKE 'search_path=pg_catalog,%pg_temp')
          ORDER BY 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert!(
        loose.is_empty(),
        "SECURITY DEFINER functions without `search_path = pg_catalog, …, pg_temp`: {loose:?}"
    );
}
