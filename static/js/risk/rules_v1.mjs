// Risk rules v1: a port of app/checklist/risk/rules_v1.py, one function per rule with the same
// name (camelCase) and reason code, listed in RULES in the same order (high triggers first).
// A rule takes the answers and the day ages are measured on ({y, m, d}) and returns reasons
// {code, grade, child}; under v1 `child` is the child's name (null when blank).
import { MAX_YEAR, dateOf, isValidDate, ordinal } from "/static/js/risk/dates.mjs";
import { eachChild, get, isFalse, isMapping, isTrue, number, options } from "/static/js/risk/facts.mjs";

const H = "high";
const M = "medium";

/** Reason codes v1 with their grade, in rule order (grades.py REASON_GRADES). */
export const REASON_GRADES = Object.freeze({
  child_disclosed: H,
  baby_injured: H,
  abuser_hurt_children: H,
  afraid_to_go_home: H,
  police_protection: H,
  exploitation_indicators: H,
  custody_self_harm: H,
  fgm_forced_marriage_hba: H,
  dash_high: H,
  child_not_seen: M,
  injury_observed: M,
  medical_needed: M,
  carer_incapable: M,
  toxic_trio: M,
  previous_incidents: M,
  custody_over_24h: M,
});

const TOXIC_TRIO_OPTIONS = new Set(["domestic_abuse", "substance_misuse", "parental_mental_health"]);
const EXPLOITATION_INDICATOR_OPTIONS = new Set([
  "older_partner",
  "unexplained_gifts_cash_phones",
  "missing_episodes",
  "found_far_from_home",
  "drugs_or_cash_carried",
  "association_with_known_offenders",
]);
const FGM_CATEGORY = "fgm_forced_marriage_hba";
const DASH_HIGH_FROM = 14;
const EXPLOITATION_INDICATORS_FROM = 2;
const TOXIC_TRIO_FROM = 2;
const PREVIOUS_INCIDENTS_FROM = 3;
const CUSTODY_HOURS_OVER = 24;

// --- facts about one child -------------------------------------------------------------------

function beforeFirstBirthday(dob, on) {
  if (dob.y >= MAX_YEAR) return true;
  const birthday = isValidDate(dob.y + 1, dob.m, dob.d)
    ? { y: dob.y + 1, m: dob.m, d: dob.d }
    : { y: dob.y + 1, m: 3, d: 1 }; // born 29 February: one year old on 1 March
  return ordinal(on) < ordinal(birthday);
}

function isUnderOne(child, on) {
  const dob = dateOf(get(child, "child.dob"));
  if (dob !== null && beforeFirstBirthday(dob, on)) return true;
  const estimate = number(child, "child.age_estimate");
  return estimate !== null && estimate < 1;
}

function hasInjury(child) {
  if (isTrue(child, "observed.injury")) return true;
  const injuries = get(child, "observed.injuries");
  return Array.isArray(injuries) && injuries.some(isMapping);
}

function isBabyInjured(child, on) {
  const baby = isTrue(child, "child.not_yet_mobile") || isUnderOne(child, on);
  return baby && hasInjury(child);
}

function reason(code, child = null) {
  return { code, grade: REASON_GRADES[code], child };
}

function perChild(answers, code, test) {
  return eachChild(answers)
    .filter(([, child]) => test(child))
    .map(([label]) => reason(code, label));
}

function when(condition, code) {
  return condition ? [reason(code)] : [];
}

// --- high ------------------------------------------------------------------------------------

export function ruleChildDisclosed(answers) {
  return perChild(answers, "child_disclosed", (c) => isTrue(c, "voice.disclosure"));
}

export function ruleNonMobileBabyInjured(answers, on) {
  return perChild(answers, "baby_injured", (c) => isBabyInjured(c, on));
}

export function ruleAbuserHurtChildren(answers) {
  return when(isTrue(answers, "concern.da_abuser_hurt_children"), "abuser_hurt_children");
}

export function ruleAfraidToGoHome(answers) {
  return perChild(answers, "afraid_to_go_home", (c) => isTrue(c, "voice.afraid_to_go_home"));
}

export function rulePoliceProtection(answers) {
  return when(isTrue(answers, "action.police_protection"), "police_protection");
}

export function ruleExploitationIndicators(answers) {
  const found = options(answers, "concern.exploitation_indicators", EXPLOITATION_INDICATOR_OPTIONS);
  return when(found.size >= EXPLOITATION_INDICATORS_FROM, "exploitation_indicators");
}

export function ruleCustodySelfHarm(answers) {
  return when(isTrue(answers, "concern.custody_self_harm_risk"), "custody_self_harm");
}

export function ruleFgmForcedMarriageHba(answers) {
  const selected = options(answers, "concern.categories", new Set([FGM_CATEGORY]));
  return when(selected.size > 0, "fgm_forced_marriage_hba");
}

export function ruleDashHigh(answers) {
  const score = number(answers, "concern.dash_score");
  return when(score !== null && score >= DASH_HIGH_FROM, "dash_high");
}

// --- medium ----------------------------------------------------------------------------------

export function ruleChildNotSeen(answers) {
  return perChild(
    answers,
    "child_not_seen",
    (c) => isFalse(c, "child.seen") && !isTrue(c, "child.unborn"),
  );
}

export function ruleInjuryObserved(answers, on) {
  return perChild(answers, "injury_observed", (c) => hasInjury(c) && !isBabyInjured(c, on));
}

export function ruleMedicalNeeded(answers) {
  return perChild(answers, "medical_needed", (c) => isTrue(c, "observed.medical_needed"));
}

export function ruleCarerIncapable(answers) {
  return when(isFalse(answers, "home.carer_capable"), "carer_incapable");
}

export function ruleToxicTrio(answers) {
  const factors = options(answers, "household.toxic_trio", TOXIC_TRIO_OPTIONS);
  return when(factors.size >= TOXIC_TRIO_FROM, "toxic_trio");
}

export function rulePreviousIncidents(answers) {
  const count = number(answers, "household.previous_incidents_12m");
  return when(count !== null && count >= PREVIOUS_INCIDENTS_FROM, "previous_incidents");
}

export function ruleCustodyOver24h(answers) {
  const hours = number(answers, "concern.custody_hours");
  return when(hours !== null && hours > CUSTODY_HOURS_OVER, "custody_over_24h");
}

export const RULES = Object.freeze([
  ruleChildDisclosed,
  ruleNonMobileBabyInjured,
  ruleAbuserHurtChildren,
  ruleAfraidToGoHome,
  rulePoliceProtection,
  ruleExploitationIndicators,
  ruleCustodySelfHarm,
  ruleFgmForcedMarriageHba,
  ruleDashHigh,
  ruleChildNotSeen,
  ruleInjuryObserved,
  ruleMedicalNeeded,
  ruleCarerIncapable,
  ruleToxicTrio,
  rulePreviousIncidents,
  ruleCustodyOver24h,
]);
