-- Catalogue search finds products by their active ingredients (a brand-named pen by
-- "semaglutide") and by each part of a combined name ("levonorgestrel" in
-- "Ethinylestradiol/Levonorgestrel": the English parser reads a slashed word as one file path).

-- The product's ingredient names, kept by triggers so the generated search vector can use them.
ALTER TABLE products ADD COLUMN ingredient_names text NOT NULL DEFAULT '';

UPDATE products p
   SET ingredient_names = coalesce((
           SELECT string_agg(i.name, ' ' ORDER BY lower(i.name))
             FROM product_ingredients pi JOIN active_ingredients i ON i.id = pi.ingredient_id
            WHERE pi.product_id = p.id), '');

ALTER TABLE products DROP COLUMN search;
ALTER TABLE products ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', translate(name, '/+', '  ')), 'A') ||
    setweight(to_tsvector('english', ingredient_names), 'A') ||
    setweight(to_tsvector('english', translate(dosage_form || ' ' || strength, '/+', '  ')), 'B') ||
    setweight(to_tsvector('english', description), 'C')) STORED;
CREATE INDEX products_search ON products USING gin (search);
-- Part-word search ("semag") over names and ingredients.
CREATE INDEX products_ingredient_names_trgm ON products USING gin (ingredient_names gin_trgm_ops);

CREATE FUNCTION products_refresh_ingredient_names(ids uuid[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE products p
       SET ingredient_names = coalesce((
               SELECT string_agg(i.name, ' ' ORDER BY lower(i.name))
                 FROM product_ingredients pi JOIN active_ingredients i ON i.id = pi.ingredient_id
                WHERE pi.product_id = p.id), '')
     WHERE p.id = ANY (ids);
$$;

CREATE FUNCTION product_ingredients_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM products_refresh_ingredient_names(ARRAY(SELECT DISTINCT product_id FROM old_rows));
    ELSE
        PERFORM products_refresh_ingredient_names(ARRAY(SELECT DISTINCT product_id FROM new_rows));
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER product_ingredients_inserted AFTER INSERT ON product_ingredients
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION product_ingredients_changed();
CREATE TRIGGER product_ingredients_deleted AFTER DELETE ON product_ingredients
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION product_ingredients_changed();

CREATE FUNCTION active_ingredient_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM products_refresh_ingredient_names(ARRAY(
        SELECT pi.product_id FROM product_ingredients pi WHERE pi.ingredient_id = NEW.id));
    RETURN NULL;
END;
$$;

CREATE TRIGGER active_ingredient_renamed AFTER UPDATE OF name ON active_ingredients
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION active_ingredient_renamed();

-- Text for `ILIKE '%' || like_escape(x) || '%'`: what people type matches literally (a `%` or
-- `_` in a search is not a wildcard).
CREATE FUNCTION like_escape(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT replace(replace(replace($1, '\', '\\'), '%', '\%'), '_', '\_') $$;
GRANT EXECUTE ON FUNCTION like_escape(text) TO rxgate_app;
