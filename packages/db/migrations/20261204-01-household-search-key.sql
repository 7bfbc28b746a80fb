-- The households list searches addresses and household codes with or without diacritics.
-- Folding each address at query time cost about 20 µs a row, so a city-wide search that matched
-- little took over a minute at 4 million households. The folded key is now stored, computed by the
-- database on every insert and update, so no write path can forget it. Reading it costs about
-- 0.1 µs a row (half a second at 4 million). A trigram index would answer in milliseconds but costs
-- about 16 µs for each household written, and the import (issue 3) is short of its speed aim
-- already; residents, searched far more often, have one.
--
-- fold_vietnamese is foldVietnamese (packages/domain) in SQL for Latin-script text, checked
-- against it by fold-vietnamese-sql.test.ts: decompose, drop the combining marks, đ → d, lower
-- case, one space for any run of whitespace (JavaScript's \s takes the Unicode spaces;
-- PostgreSQL's does not, so they are named), no spaces at the ends. Vietnamese folds the same
-- under any database locale: once decomposed its letters are ASCII, and đ/Đ are translated. Other
-- letters (Ð, Æ) are lowered only under a UTF-8 ctype, and marks of other scripts are kept.
--
-- Adding the column rewrites the households table under an exclusive lock: about 15 µs a
-- household, so about a minute at 4 million, during which the registry cannot be written.
CREATE FUNCTION fold_vietnamese(text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN btrim(regexp_replace(
    lower(translate(regexp_replace(normalize($1, NFD), '[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]', '', 'g'), 'đĐ', 'dd')),
    '[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+', ' ', 'g'));

-- The code and the address in one key, so that one condition finds either.
ALTER TABLE households ADD COLUMN search_folded text NOT NULL
  GENERATED ALWAYS AS (fold_vietnamese(coalesce(household_code, '') || ' ' || address)) STORED;
