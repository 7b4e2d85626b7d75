// A child's age from the answers, in numbers and in words: a port of
// app/checklist/answers/ages.py. Ages are measured on a given day (the incident date): from a
// date of birth (child.dob), else from the officer's estimate in years (child.age_estimate);
// an unborn entry (child.unborn yes) is "unborn". A value of the wrong type gives no age.
import { addMonths, dateOf, ordinal } from "/static/js/risk/dates.mjs";

const MONTHS_A_YEAR = 12;
const DAYS_A_WEEK = 7;
const MOST_YEARS = 150;

function own(child, key) {
  return Object.prototype.hasOwnProperty.call(child, key) ? child[key] : undefined;
}

/** An estimate in years: a finite JSON number (not a boolean) from 0 to 150, else null. */
function estimate(value) {
  if (typeof value !== "number" || !Number.isFinite(value)) return null;
  return value >= 0 && value <= MOST_YEARS ? value : null;
}

function monthIndex(date) {
  return date.y * MONTHS_A_YEAR + date.m - 1;
}

function partsFromDob(dob, on) {
  if (ordinal(dob) > ordinal(on)) return null;
  let months = monthIndex(on) - monthIndex(dob);
  let anniversary = addMonths(dob, months);
  if (anniversary === null || ordinal(anniversary) > ordinal(on)) {
    months -= 1;
    anniversary = addMonths(dob, months);
  }
  return {
    years: Math.floor(months / MONTHS_A_YEAR),
    months: months % MONTHS_A_YEAR,
    days: ordinal(on) - ordinal(anniversary),
    estimated: false,
  };
}

/** ages.age_parts: the age on `on` for a date of birth or an estimate in years; null when
 * `value` is neither, or is a date after `on`. */
export function ageParts(value, on) {
  const years = estimate(value);
  if (years !== null) {
    const months = Math.floor(years * MONTHS_A_YEAR + 1e-9);
    return {
      years: Math.floor(months / MONTHS_A_YEAR),
      months: months % MONTHS_A_YEAR,
      days: 0,
      estimated: true,
    };
  }
  const dob = dateOf(value);
  return dob === null ? null : partsFromDob(dob, on);
}

function plural(count, unit) {
  return count === 1 ? `${count} ${unit}` : `${count} ${unit}s`;
}

/** ages.parts_in_words: "4 months", "2 years 3 months", "3 weeks", "about 6 years". */
export function partsInWords(parts) {
  if (parts.years === 0 && parts.months === 0) {
    if (parts.estimated) return "under 1 month";
    if (parts.days >= DAYS_A_WEEK) return plural(Math.floor(parts.days / DAYS_A_WEEK), "week");
    return plural(parts.days, "day");
  }
  const words = [
    parts.years ? plural(parts.years, "year") : "",
    parts.months ? plural(parts.months, "month") : "",
  ]
    .filter((w) => w)
    .join(" ");
  return parts.estimated ? `about ${words}` : words;
}

/** ages.age_in_words: "unborn" for a date after `on`, null when no age. */
export function ageInWords(value, on) {
  if (estimate(value) === null) {
    const dob = dateOf(value);
    if (dob !== null && ordinal(dob) > ordinal(on)) return "unborn";
  }
  const parts = ageParts(value, on);
  return parts === null ? null : partsInWords(parts);
}

/** The entry is for an unborn baby (child.unborn yes). */
export function isUnborn(child) {
  return own(child, "child.unborn") === true;
}

/** A born child's age from child.dob, else child.age_estimate; null when unborn or unknown. */
export function childAgeParts(child, on) {
  if (isUnborn(child)) return null;
  for (const key of ["child.dob", "child.age_estimate"]) {
    const parts = ageParts(own(child, key), on);
    if (parts !== null) return parts;
  }
  return null;
}

/** A child entry's age in words on `on`: "unborn", "4 months", "about 6 years", or null. */
export function childAgeInWords(child, on) {
  if (isUnborn(child)) return "unborn";
  for (const key of ["child.dob", "child.age_estimate"]) {
    const words = ageInWords(own(child, key), on);
    if (words !== null) return words;
  }
  return null;
}
