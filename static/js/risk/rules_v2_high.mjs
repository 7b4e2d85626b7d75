// Risk rules v2, high: a port of app/checklist/risk/rules_v2_high.py, one function per rule
// with the same name (camelCase) and reason code; the sources in brackets are in the Python
// docstrings. A reason about one child names that child with their age ("Amy (4 months)").
import { isUnborn } from "/static/js/risk/ages.mjs";
import { eachChild, get, isFalse, isMapping, isTrue } from "/static/js/risk/facts.mjs";
import {
  DA_RISK_HIGH_FROM,
  DISCLOSURE_ABOUT_CHILD,
  EXPLOITATION_OTHER_SIGNS,
  EXPLOITATION_OTHER_SIGNS_FROM,
  EXPLOITATION_SERIOUS_SIGNS,
  NEGLECT_HIGH_FROM,
  categories,
  dashScore,
  exploitationSigns,
  household,
  isBabyInjured,
  isBabyNotSeen,
  isDaIncident,
  missingFoundAtRisk,
  neglectCount,
  perChild,
  unsafeSleepImpairedCarer,
} from "/static/js/risk/facts_v2.mjs";

const HIGH = "high";

// --- about one child -------------------------------------------------------------------------

export function ruleChildDisclosed(answers, on) {
  const test = (c) =>
    isTrue(c, "voice.disclosure") &&
    (isTrue(c, "voice.disclosure_sexual") || get(c, "voice.disclosure_about") !== DISCLOSURE_ABOUT_CHILD);
  return perChild(answers, on, "child_disclosed", HIGH, test);
}

export function ruleSexualAbuseConcern(answers, on) {
  return perChild(answers, on, "sexual_abuse_concern", HIGH, (c) => categories(c).has("sexual"));
}

export function ruleBabyInjured(answers, on) {
  return perChild(answers, on, "baby_injured", HIGH, isBabyInjured);
}

export function ruleBabyNotSeen(answers, on) {
  return perChild(answers, on, "child_not_seen_baby", HIGH, isBabyNotSeen);
}

export function ruleAfraidToGoHome(answers, on) {
  return perChild(answers, on, "afraid_to_go_home", HIGH, (c) => isTrue(c, "voice.afraid_to_go_home"));
}

export function ruleExploitationSeriousSign(answers, on) {
  const test = (c) => exploitationSigns(c, EXPLOITATION_SERIOUS_SIGNS).size > 0;
  return perChild(answers, on, "exploitation_serious_sign", HIGH, test);
}

export function ruleExploitationIndicators(answers, on) {
  const test = (c) => exploitationSigns(c, EXPLOITATION_OTHER_SIGNS).size >= EXPLOITATION_OTHER_SIGNS_FROM;
  return perChild(answers, on, "exploitation_indicators", HIGH, test);
}

export function ruleMissingFoundAtRisk(answers, on) {
  return perChild(answers, on, "missing_found_at_risk", HIGH, missingFoundAtRisk);
}

export function ruleCustodySelfHarm(answers, on) {
  const test = (c) => isTrue(c, "concern.custody_self_harm_risk");
  return perChild(answers, on, "custody_self_harm", HIGH, test);
}

export function ruleCustodyOvernightNoTransfer(answers, on) {
  const test = (c) =>
    isTrue(c, "concern.custody_charged_refused_bail") &&
    isTrue(c, "concern.custody_overnight") &&
    isFalse(c, "concern.custody_transfer_to_la");
  return perChild(answers, on, "custody_overnight_no_transfer", HIGH, test);
}

export function ruleCustodyStripSearchNoAa(answers, on) {
  const test = (c) =>
    isTrue(c, "concern.custody_strip_search") && isFalse(c, "concern.custody_strip_search_aa_present");
  return perChild(answers, on, "custody_strip_search_no_aa", HIGH, test);
}

export function ruleFgmForcedMarriageHba(answers, on) {
  const test = (c) => categories(c).has("fgm_forced_marriage_hba");
  return perChild(answers, on, "fgm_forced_marriage_hba", HIGH, test);
}

export function ruleUnsafeSleepImpairedCarer(answers, on) {
  const test = (c, day) => unsafeSleepImpairedCarer(answers, c, day);
  return perChild(answers, on, "unsafe_sleep_impaired_carer", HIGH, test);
}

export function ruleTonightCarerNotChecked(answers, on) {
  const incapable = isFalse(answers, "home.carer_capable");
  const test = (c) => incapable && isFalse(c, "child.tonight_checked");
  return perChild(answers, on, "tonight_carer_not_checked", HIGH, test);
}

// --- the household ---------------------------------------------------------------------------

export function ruleAbuserHurtChildren(answers) {
  return household(isTrue(answers, "concern.da_abuser_hurt_children"), "abuser_hurt_children", HIGH);
}

export function rulePoliceProtection(answers) {
  return household(isTrue(answers, "action.police_protection"), "police_protection", HIGH);
}

export function ruleDaStrangulation(answers) {
  return household(isTrue(answers, "concern.da_strangulation"), "da_strangulation", HIGH);
}

export function ruleDaWeapon(answers) {
  return household(isTrue(answers, "concern.da_weapon"), "da_weapon", HIGH);
}

export function ruleDaThreatsToKill(answers) {
  return household(isTrue(answers, "concern.da_threats_to_kill"), "da_threats_to_kill", HIGH);
}

export function ruleDaVictimPregnant(answers) {
  const unborn = isDaIncident(answers) && eachChild(answers).some(([, c]) => isUnborn(c));
  const pregnant = isTrue(answers, "concern.da_victim_pregnant") || unborn;
  return household(pregnant, "da_victim_pregnant", HIGH);
}

export function ruleDaRiskHigh(answers) {
  const score = dashScore(answers);
  const high = (score !== null && score >= DA_RISK_HIGH_FROM) || get(answers, "concern.da_risk_level") === "high";
  return household(high, "da_risk_high", HIGH);
}

export function ruleNeglectSevere(answers) {
  return household(neglectCount(answers) >= NEGLECT_HIGH_FROM, "neglect_severe", HIGH);
}

export function ruleCarerNotChecked(answers) {
  return household(isFalse(answers, "home.carer_checks_done"), "carer_not_checked", HIGH);
}

export function ruleAdultRiskToChildren(answers) {
  const adults = get(answers, "household.adults");
  const risky =
    Array.isArray(adults) && adults.some((a) => isMapping(a) && isTrue(a, "adult.risk_to_children"));
  return household(risky, "adult_risk_to_children", HIGH);
}
