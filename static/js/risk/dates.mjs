// Dates as the Python risk rules read them (app/checklist/risk/facts.py date_of): a string,
// stripped as Python's str.strip() does, read by Python 3.11's date.fromisoformat, else by
// datetime.fromisoformat (its date as written). Both parsers are ported from CPython's C
// implementation (Modules/_datetimemodule.c), byte for byte over the UTF-8 text, so the browser
// accepts exactly the strings the server accepts. A date is {y, m, d}; compare with ordinal().

const MAXYEAR = 9999;
const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DAYS_BEFORE_MONTH = [0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
// Python's str.isspace() characters: what str.strip() removes.
const PY_SPACE = /^[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;
const CORRECTION = [100000, 10000, 1000, 100, 10];
const DIGIT_0 = 48;
const DAY_SECONDS = 86400;

export const MAX_YEAR = MAXYEAR;

/** Python's str.strip(). */
export function pyStrip(text) {
  return text.replace(PY_SPACE, "");
}

export function isLeap(y) {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

export function daysInMonth(y, m) {
  return m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m];
}

export function isValidDate(y, m, d) {
  return y >= 1 && y <= MAXYEAR && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** Python's date.toordinal(): 0001-01-01 is day 1. */
export function ordinal(date) {
  const y = date.y - 1;
  const before = y * 365 + Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400);
  return before + DAYS_BEFORE_MONTH[date.m] + (date.m > 2 && isLeap(date.y) ? 1 : 0) + date.d;
}

function fromOrdinal(n) {
  let y = Math.max(1, Math.floor((n - 1) / 365.2425));
  while (ordinal({ y: y + 1, m: 1, d: 1 }) <= n) y += 1;
  while (ordinal({ y, m: 1, d: 1 }) > n) y -= 1;
  let m = 1;
  while (m < 12 && ordinal({ y, m: m + 1, d: 1 }) <= n) m += 1;
  return { y, m, d: n - ordinal({ y, m, d: 1 }) + 1 };
}

/** The ISO year, week and weekday as a date (CPython iso_to_ymd); null when out of range. */
function isoToDate(year, week, day) {
  if (year < 1 || year > MAXYEAR) return null;
  if (week <= 0 || week >= 53) {
    const firstWeekday = ordinal({ y: year, m: 1, d: 1 }) % 7;
    if (!(week === 53 && (firstWeekday === 4 || (firstWeekday === 3 && isLeap(year))))) {
      return null;
    }
  }
  if (day <= 0 || day >= 8) return null;
  const first = ordinal({ y: year, m: 1, d: 1 });
  const firstWeekday = (first + 6) % 7; // Monday is 0
  let monday = first - firstWeekday;
  if (firstWeekday > 3) monday += 7;
  const n = monday + (week - 1) * 7 + (day - 1);
  if (n < 1 || n > ordinal({ y: MAXYEAR, m: 12, d: 31 })) return null;
  return fromOrdinal(n);
}

// --- CPython's parsers, over the UTF-8 bytes followed by a 0 (C's string end) ----------------

function isDigit(b) {
  return b >= DIGIT_0 && b <= DIGIT_0 + 9;
}

function parseDigits(s, at, count) {
  let value = 0;
  for (let i = 0; i < count; i += 1) {
    const b = s[at + i];
    if (!isDigit(b)) return null;
    value = value * 10 + (b - DIGIT_0);
  }
  return { at: at + count, value };
}

function parseIsoDate(s, len) {
  const year = parseDigits(s, 0, 4);
  if (year === null) return null;
  let p = year.at;
  const dash = s[p] === 0x2d;
  if (dash) p += 1;
  if (s[p] === 0x57) {
    const week = parseDigits(s, p + 1, 2);
    if (week === null) return null;
    p = week.at;
    let day = 1;
    if (p < len) {
      if (dash && s[p++] !== 0x2d) return null;
      const d = parseDigits(s, p, 1);
      if (d === null) return null;
      day = d.value;
    }
    return isoToDate(year.value, week.value, day);
  }
  const month = parseDigits(s, p, 2);
  if (month === null) return null;
  p = month.at;
  if (dash && s[p++] !== 0x2d) return null;
  const day = parseDigits(s, p, 2);
  if (day === null) return null;
  return { y: year.value, m: month.value, d: day.value };
}

function separatorAt(s, len) {
  if (len === 7) return 7;
  if (s[4] === 0x2d) {
    if (s[5] !== 0x57) return 10;
    if (len < 8) return -1;
    if (len > 8 && s[8] === 0x2d) {
      if (len === 9) return -1;
      return len > 10 && isDigit(s[10]) ? 8 : 10;
    }
    return 8;
  }
  if (s[4] !== 0x57) return 8;
  let idx = 7;
  while (idx < len && isDigit(s[idx])) idx += 1;
  if (idx < 9) return idx;
  return idx % 2 === 0 ? 7 : 8;
}

// Returns [rv, hour, minute, second, microsecond]; rv < 0 is an error, 1 "more follows".
function parseHmsf(s, start, end) {
  const vals = [0, 0, 0];
  let p = start;
  let sep = true;
  for (let i = 0; i < 3; i += 1) {
    const part = parseDigits(s, p, 2);
    if (part === null) return [-3];
    vals[i] = part.value;
    p = part.at;
    const c = s[p++];
    if (i === 0) sep = c === 0x3a;
    if (p >= end) return [c !== 0 ? 1 : 0, ...vals, 0];
    if (sep && c === 0x3a) continue;
    if (c === 0x2e || c === 0x2c) break;
    if (!sep) p -= 1;
    else return [-4];
  }
  const remains = end - p;
  const toParse = Math.min(remains, 6);
  if (toParse <= 0) return [-3];
  const micro = parseDigits(s, p, toParse);
  if (micro === null) return [-3];
  p = micro.at;
  let us = micro.value;
  if (toParse < 6) us *= CORRECTION[toParse - 1];
  while (isDigit(s[p])) p += 1;
  return [s[p] !== 0 ? 1 : 0, ...vals, us];
}

function parseIsoTime(s, start, end) {
  let tz = start;
  do {
    const b = s[tz];
    if (b === 0x5a || b === 0x2b || b === 0x2d) break;
  } while (++tz < end);
  const time = parseHmsf(s, start, tz);
  if (time[0] < 0) return null;
  const [rv, h, mi, sec, us] = time;
  const result = { h, mi, sec, us, offsetUs: 0 };
  if (tz === end) return rv === 1 ? null : result;
  if (s[tz] === 0x5a) return s[tz + 1] !== 0 ? null : result;
  const sign = s[tz] === 0x2d ? -1 : 1;
  const zone = parseHmsf(s, tz + 1, end);
  if (zone[0] !== 0) return null;
  const [, zh, zm, zs, zus] = zone;
  result.offsetUs = sign * ((zh * 3600 + zm * 60 + zs) * 1e6 + zus);
  return result;
}

function utf8(text) {
  return new TextEncoder().encode(text);
}

function hasLoneSurrogate(points) {
  return points.some((p) => p.length === 1 && p.charCodeAt(0) >= 0xd800 && p.charCodeAt(0) <= 0xdfff);
}

/** Python's date.fromisoformat(text), or null. */
export function dateFromIso(text) {
  if (hasLoneSurrogate(Array.from(text))) return null;
  const bytes = utf8(text);
  const len = bytes.length;
  if (len !== 7 && len !== 8 && len !== 10) return null;
  const s = [...bytes, 0];
  const date = parseIsoDate(s, len);
  return date !== null && isValidDate(date.y, date.m, date.d) ? date : null;
}

/** The date of Python's datetime.fromisoformat(text) as written, or null. */
export function dateOfDatetimeIso(text) {
  const points = Array.from(text);
  if (points.length < 7) return null;
  for (const at of [7, 8, 10]) {
    if (at > points.length) break;
    if (hasLoneSurrogate([points[at] ?? ""])) {
      points[at] = "T";
      break;
    }
  }
  if (hasLoneSurrogate(points)) return null;
  const bytes = utf8(points.join(""));
  const len = bytes.length;
  const s = [...bytes, 0];
  const at = separatorAt(s, len);
  if (at < 0) return null;
  const date = parseIsoDate(s, at);
  if (date === null) return null;
  let time = { h: 0, mi: 0, sec: 0, us: 0, offsetUs: 0 };
  if (len > at) {
    const lead = s[at];
    const width = (lead & 0x80) === 0 ? 1 : (lead & 0xf0) === 0xe0 ? 3 : (lead & 0xf0) === 0xf0 ? 4 : 2;
    time = parseIsoTime(s, at + width, len);
    if (time === null) return null;
  }
  const validTime = time.h < 24 && time.mi < 60 && time.sec < 60 && time.us < 1e6;
  const validZone = Math.abs(time.offsetUs) < DAY_SECONDS * 1e6;
  if (!validTime || !validZone || !isValidDate(date.y, date.m, date.d)) return null;
  return date;
}

/** facts.date_of: a date from "YYYY-MM-DD" or an ISO 8601 datetime string; null otherwise. */
export function dateOf(value) {
  if (typeof value !== "string") return null;
  const text = pyStrip(value);
  return dateFromIso(text) ?? dateOfDatetimeIso(text);
}

/** Today's date in UTC, as the server's default. */
export function todayUtc() {
  const now = new Date();
  return { y: now.getUTCFullYear(), m: now.getUTCMonth() + 1, d: now.getUTCDate() };
}

/** `date` moved on by `months` (ages.py _add_months): the same day or the month's last day. */
export function addMonths(date, months) {
  const index = date.y * 12 + date.m - 1 + months;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  if (y > MAXYEAR || y < 1) return null;
  return { y, m, d: Math.min(date.d, daysInMonth(y, m)) };
}
