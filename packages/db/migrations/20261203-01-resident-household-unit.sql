-- A resident's unit is their household's unit, copied onto the resident so that every read can
-- be scoped by unit. One foreign key now says exactly that, in place of two that each checked
-- half of it (the unit exists; the household exists): a million-row import made 1.3 million
-- separate checks of the unit alone, about a tenth of the time it spent writing residents.
-- Households never change unit (updateHousehold does not take one), and a resident who moves
-- changes household and unit in one statement.
CREATE UNIQUE INDEX households_unit_key ON households (province_code, id, unit_code);
ALTER TABLE residents ADD CONSTRAINT residents_household_unit_fkey
  FOREIGN KEY (province_code, household_id, unit_code) REFERENCES households (province_code, id, unit_code);
ALTER TABLE residents DROP CONSTRAINT residents_unit_code_fkey;
ALTER TABLE residents DROP CONSTRAINT residents_province_code_household_id_fkey;
