// Risk rules v2, medium: a port of app/checklist/risk/rules_v2_medium.py, one function per rule
// with the same name (camelCase) and reason code. A medium rule stays silent for a child when a
// high rule already covers the same fact for that child.
import { isUnborn } from "/static/js/risk/ages.mjs";
import { get, isFalse, isTrue, number, options } from "/static/js/risk/facts.mjs";
import {
  CUSTODY_HOURS_OVER,
  DA_RISK_HIGH_FROM,
  DA_RISK_MEDIUM_FROM,
  DISCLOSURE_ABOUT_CHILD,
  NEGLECT_HIGH_FROM,
  NEGLECT_MEDIUM_FROM,
  NO_SAFE_SLEEP,
  PREVIOUS_INCIDENTS_FROM,
  TOXIC_TRIO_FROM,
  TOXIC_TRIO_OPTIONS,
  WEAPONS,
  categories,
  dashScore,
  homeConditions,
  household,
  injurySeen,
  isBabyInjured,
  isBabyNotSeen,
  isDaIncident,
  isUnderOne,
  missingFoundAtRisk,
  missingOften,
  neglectCount,
  perChild,
  unsafeSleepImpairedCarer,
} from "/static/js/risk/facts_v2.mjs";

const MEDIUM = "medium";

// --- about one child -------------------------------------------------------------------------

export function ruleDisclosureAboutChild(answers, on) {
  const test = (c) =>
    isTrue(c, "voice.disclosure") &&
    get(c, "voice.disclosure_about") === DISCLOSURE_ABOUT_CHILD &&
    !isTrue(c, "voice.disclosure_sexual");
  return perChild(answers, on, "disclosure_about_child", MEDIUM, test);
}

export function ruleChildOnChild(answers, on) {
  return perChild(answers, on, "child_on_child", MEDIUM, (c) => categories(c).has("child_on_child"));
}

export function ruleChildToParentViolence(answers, on) {
  const test = (c) => categories(c).has("child_to_parent_violence");
  return perChild(answers, on, "child_to_parent_violence", MEDIUM, test);
}

export function ruleBabyInDa(answers, on) {
  if (!isDaIncident(answers)) return [];
  return perChild(answers, on, "baby_in_da", MEDIUM, (c, day) => isUnborn(c) || isUnderOne(c, day));
}

export function ruleUnsafeSleepBaby(answers, on) {
  const noSafeSleep = homeConditions(answers).has(NO_SAFE_SLEEP);
  const test = (c, day) => noSafeSleep && isUnderOne(c, day) && !unsafeSleepImpairedCarer(answers, c, day);
  return perChild(answers, on, "unsafe_sleep_baby", MEDIUM, test);
}

function socialCare(answers, on, status) {
  return perChild(answers, on, status, MEDIUM, (c) => get(c, "child.social_care_status") === status);
}

export function ruleChildProtectionPlan(answers, on) {
  return socialCare(answers, on, "child_protection_plan");
}

export function ruleLookedAfter(answers, on) {
  return socialCare(answers, on, "looked_after");
}

export function ruleChildInNeed(answers, on) {
  return socialCare(answers, on, "child_in_need");
}

export function ruleMissingOften(answers, on) {
  const test = (c) => missingOften(c) && !missingFoundAtRisk(c);
  return perChild(answers, on, "missing_often", MEDIUM, test);
}

export function ruleRadicalisation(answers, on) {
  return perChild(answers, on, "radicalisation", MEDIUM, (c) => categories(c).has("radicalisation"));
}

export function ruleCustodyNoAppropriateAdult(answers, on) {
  const test = (c) => isFalse(c, "concern.custody_appropriate_adult");
  return perChild(answers, on, "custody_no_appropriate_adult", MEDIUM, test);
}

export function ruleCustodyOver24h(answers, on) {
  const test = (c) => {
    const hours = number(c, "concern.custody_hours");
    return hours !== null && hours > CUSTODY_HOURS_OVER;
  };
  return perChild(answers, on, "custody_over_24h", MEDIUM, test);
}

export function ruleChildNotSeen(answers, on) {
  const test = (c, day) =>
    isFalse(c, "child.seen") && isTrue(c, "child.lives_here") && !isUnborn(c) && !isBabyNotSeen(c, day);
  return perChild(answers, on, "child_not_seen", MEDIUM, test);
}

export function ruleInjuryObserved(answers, on) {
  const test = (c, day) => injurySeen(c) && !isBabyInjured(c, day);
  return perChild(answers, on, "injury_observed", MEDIUM, test);
}

export function ruleMedicalNeeded(answers, on) {
  return perChild(answers, on, "medical_needed", MEDIUM, (c) => isTrue(c, "observed.medical_needed"));
}

// --- the household ---------------------------------------------------------------------------

export function ruleDaRiskMedium(answers) {
  const score = dashScore(answers);
  const medium =
    (score !== null && DA_RISK_MEDIUM_FROM <= score && score < DA_RISK_HIGH_FROM) ||
    get(answers, "concern.da_risk_level") === "medium";
  return household(medium, "da_risk_medium", MEDIUM);
}

export function ruleDaSeparation(answers) {
  return household(isTrue(answers, "concern.da_separation"), "da_separation", MEDIUM);
}

export function ruleDaStalking(answers) {
  return household(isTrue(answers, "concern.da_stalking"), "da_stalking", MEDIUM);
}

export function ruleNeglectConditions(answers) {
  const count = neglectCount(answers);
  return household(NEGLECT_MEDIUM_FROM <= count && count < NEGLECT_HIGH_FROM, "neglect_conditions", MEDIUM);
}

export function ruleWeaponsInHome(answers) {
  return household(homeConditions(answers).has(WEAPONS), "weapons_in_home", MEDIUM);
}

export function ruleCarerIncapable(answers) {
  return household(isFalse(answers, "home.carer_capable"), "carer_incapable", MEDIUM);
}

export function ruleToxicTrio(answers) {
  const factors = options(answers, "household.toxic_trio", TOXIC_TRIO_OPTIONS);
  return household(factors.size >= TOXIC_TRIO_FROM, "toxic_trio", MEDIUM);
}

export function rulePreviousIncidents(answers) {
  const count = number(answers, "household.previous_incidents_12m");
  return household(count !== null && count >= PREVIOUS_INCIDENTS_FROM, "previous_incidents", MEDIUM);
}
