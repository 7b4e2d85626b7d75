// Facts the risk rules v2 read from prompt set v2 answers: a port of
// app/checklist/risk/facts_v2.py (option ids, thresholds, facts about one child or the
// household, and how reasons are made). A missing key or a value of the wrong type is no fact.
import { childAgeParts, isUnborn } from "/static/js/risk/ages.mjs";
import { dateOf, ordinal } from "/static/js/risk/dates.mjs";
import {
  eachChild,
  get,
  isFalse,
  isMapping,
  isTrue,
  labelledChildren,
  number,
  options,
} from "/static/js/risk/facts.mjs";

export const DA_INCIDENT_TYPE = "domestic_abuse";
export const DA_WITNESSED = "domestic_abuse_witnessed";
export const CATEGORY_OPTIONS = new Set([
  "physical",
  "emotional",
  "sexual",
  "neglect",
  DA_WITNESSED,
  "exploitation_sexual",
  "exploitation_criminal",
  "missing",
  "online_harm",
  "fgm_forced_marriage_hba",
  "radicalisation",
  "child_in_custody",
  "child_on_child",
  "child_to_parent_violence",
]);
export const EXPLOITATION_SERIOUS_SIGNS = new Set([
  "drugs_or_cash_carried",
  "trap_house_or_cuckooing",
  "weapon_carried",
]);
export const EXPLOITATION_OTHER_SIGNS = new Set([
  "older_partner",
  "unexplained_gifts_cash_phones",
  "missing_episodes",
  "found_far_from_home",
  "association_with_known_offenders",
  "multiple_phones",
  "unexplained_injuries",
  "hotel_or_unknown_address",
  "excluded_from_school",
  "picked_up_by_adults_in_cars",
]);
export const NEGLECT_CONDITIONS = new Set([
  "unclean",
  "no_food",
  "no_heating",
  "no_safe_sleep",
  "drugs_or_paraphernalia",
  "exposed_hazards",
  "overcrowded",
]);
export const NO_SAFE_SLEEP = "no_safe_sleep";
export const WEAPONS = "weapons";
const HOME_CONDITIONS = new Set([...NEGLECT_CONDITIONS, WEAPONS, "dangerous_dogs"]);
const IMPAIRED_CARER = new Set(["intoxicated", "drugs"]);
const SUBSTANCE_MISUSE = "substance_misuse";
export const TOXIC_TRIO_OPTIONS = new Set(["domestic_abuse", SUBSTANCE_MISUSE, "parental_mental_health"]);
export const DISCLOSURE_ABOUT_CHILD = "another_child";

export const DA_RISK_HIGH_FROM = 14;
export const DA_RISK_MEDIUM_FROM = 10;
export const EXPLOITATION_OTHER_SIGNS_FROM = 2;
export const NEGLECT_HIGH_FROM = 4;
export const NEGLECT_MEDIUM_FROM = 2;
const MISSING_EPISODES_FROM = 3;
export const TOXIC_TRIO_FROM = 2;
export const PREVIOUS_INCIDENTS_FROM = 3;
export const CUSTODY_HOURS_OVER = 24;

// --- one child -------------------------------------------------------------------------------

/** A born child under 1 on `on`; a date of birth after `on` on an entry not marked unborn (a
 * slip) counts as under one. */
export function isUnderOne(child, on) {
  if (isUnborn(child)) return false;
  const dob = dateOf(get(child, "child.dob"));
  if (dob !== null && ordinal(dob) > ordinal(on)) return true;
  const parts = childAgeParts(child, on);
  return parts !== null && parts.years < 1;
}

export function isNotMobile(child) {
  return isFalse(child, "child.mobile") && !isUnborn(child);
}

export function isBaby(child, on) {
  return isUnderOne(child, on) || isNotMobile(child);
}

export function injurySeen(child) {
  if (isTrue(child, "observed.injury")) return true;
  const injuries = get(child, "observed.injuries");
  return Array.isArray(injuries) && injuries.some(isMapping);
}

export function injurySeenOrReported(child) {
  return injurySeen(child) || isTrue(child, "child.injury_reported");
}

export function isBabyInjured(child, on) {
  return isBaby(child, on) && injurySeenOrReported(child);
}

export function isBabyNotSeen(child, on) {
  return isBaby(child, on) && isFalse(child, "child.seen");
}

export function categories(child) {
  return options(child, "concern.categories", CATEGORY_OPTIONS);
}

export function exploitationSigns(child, known) {
  return options(child, "concern.exploitation_indicators", known);
}

export function missingOften(child) {
  const episodes = number(child, "concern.missing_episodes_90d");
  return episodes !== null && episodes >= MISSING_EPISODES_FROM;
}

export function missingFoundAtRisk(child) {
  return (
    missingOften(child) &&
    (isTrue(child, "concern.missing_out_of_area") || isTrue(child, "concern.missing_found_with_adults"))
  );
}

// --- the household ---------------------------------------------------------------------------

export function isDaIncident(answers) {
  if (get(answers, "incident.type") === DA_INCIDENT_TYPE) return true;
  return eachChild(answers).some(([, c]) => categories(c).has(DA_WITNESSED));
}

export function homeConditions(answers) {
  return options(answers, "home.conditions", HOME_CONDITIONS);
}

export function neglectCount(answers) {
  return [...homeConditions(answers)].filter((c) => NEGLECT_CONDITIONS.has(c)).length;
}

export function carerImpaired(answers) {
  const incapacity = get(answers, "home.carer_incapacity");
  return (
    (typeof incapacity === "string" && IMPAIRED_CARER.has(incapacity)) ||
    options(answers, "household.toxic_trio", TOXIC_TRIO_OPTIONS).has(SUBSTANCE_MISUSE)
  );
}

export function unsafeSleepImpairedCarer(answers, child, on) {
  return homeConditions(answers).has(NO_SAFE_SLEEP) && isUnderOne(child, on) && carerImpaired(answers);
}

export function dashScore(answers) {
  return number(answers, "concern.dash_score");
}

// --- making reasons --------------------------------------------------------------------------

/** A reason for each child that passes `test`, naming the child with their age. */
export function perChild(answers, on, code, grade, test) {
  return labelledChildren(answers, on)
    .filter(([, c]) => test(c, on))
    .map(([label]) => ({ code, grade, child: label }));
}

/** One household reason (no child) when `condition` holds. */
export function household(condition, code, grade) {
  return condition ? [{ code, grade, child: null }] : [];
}
