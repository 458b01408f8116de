//! A doctor's availability and the bookable slots it gives (SPEC C4).
//!
//! A doctor keeps, per clinic, a weekly schedule in their own IANA zone (several intervals a
//! day), dated exceptions (leave, extra hours) and the clinic's slot rules: slot length, the
//! buffer after each consult, the minimum notice and how far ahead patients may book.
//! [`slots`] turns that, the doctor's existing bookings (in every clinic) and the current time
//! into the free slots of a window, in UTC.
//!
//! Wall-clock times become instants through the zone database (`chrono-tz`), never by a fixed
//! offset, and every interval is cut into slots on the real time line. So across a daylight-
//! saving change no slot appears twice and none vanishes: a 01:00–03:00 interval lasts one real
//! hour on the night the clocks go forward and three on the night they go back. An interval
//! starts at the first instant its wall-clock start is read (the earlier of a repeated time) and
//! ends at the last instant its end is read (the later); a wall-clock time the change skips
//! means the first instant after the gap.
//!
//! A slot `[start, start + length)` blocks the doctor until `start + length + buffer`; a slot is
//! free when that blocked range meets no existing booking's blocked range. The database's
//! exclusion constraint on bookings uses exactly this range, so a slot shown is bookable unless
//! someone else takes it first.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono::{LocalResult, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// The bounds the rules below are held to (also the database's CHECKs and the API's schema).
pub const SLOT_MINUTES: std::ops::RangeInclusive<i64> = 5..=240;
pub const BUFFER_MINUTES: std::ops::RangeInclusive<i64> = 0..=120;
pub const NOTICE_MINUTES: std::ops::RangeInclusive<i64> = 0..=20_160;
pub const HORIZON_DAYS: std::ops::RangeInclusive<i64> = 1..=365;
/// At most this many weekly intervals and exceptions per doctor and clinic.
pub const MAX_INTERVALS: usize = 70;
/// The longest window one slot search covers.
pub const MAX_SEARCH_DAYS: i64 = 62;

/// Why a schedule is refused. [`ScheduleError::code`] is the stable code clients see.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("`{0}` is not a time zone of the IANA database")]
    UnknownZone(String),
    #[error("an interval must end after it starts ({starts}–{ends})")]
    EmptyInterval { starts: NaiveTime, ends: NaiveTime },
    #[error("the intervals of {0} overlap")]
    Overlapping(String),
    #[error("at most {MAX_INTERVALS} intervals")]
    TooManyIntervals,
    #[error("{field} must be between {min} and {max}")]
    OutOfRange {
        field: &'static str,
        min: i64,
        max: i64,
    },
}

impl ScheduleError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownZone(_) => "UNKNOWN_TIME_ZONE",
            Self::EmptyInterval { .. } => "EMPTY_INTERVAL",
            Self::Overlapping(_) => "OVERLAPPING_INTERVALS",
            Self::TooManyIntervals => "TOO_MANY_INTERVALS",
            Self::OutOfRange { .. } => "OUT_OF_RANGE",
        }
    }
}

/// The zone named `name` in the IANA database.
pub fn zone(name: &str) -> Result<Tz, ScheduleError> {
    name.parse::<Tz>()
        .map_err(|_| ScheduleError::UnknownZone(name.to_owned()))
}

/// A recurring working interval, in the doctor's wall-clock time. Intervals do not cross
/// midnight: a night shift is two intervals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyInterval {
    pub weekday: Weekday,
    pub starts: NaiveTime,
    pub ends: NaiveTime,
}

/// A dated change to the weekly schedule: time off (`available: false`, e.g. leave) or extra
/// hours (`available: true`), in the doctor's wall-clock time on that date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exception {
    pub on: NaiveDate,
    pub starts: NaiveTime,
    pub ends: NaiveTime,
    pub available: bool,
}

/// How a doctor's time is cut into bookable slots in one clinic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotRules {
    pub slot_minutes: i64,
    pub buffer_minutes: i64,
    /// The earliest a slot may start, counted from now.
    pub min_notice_minutes: i64,
    /// The latest a slot may start, counted from now.
    pub horizon_days: i64,
}

impl SlotRules {
    pub fn validate(&self) -> Result<(), ScheduleError> {
        for (field, value, range) in [
            ("slot_minutes", self.slot_minutes, SLOT_MINUTES),
            ("buffer_minutes", self.buffer_minutes, BUFFER_MINUTES),
            (
                "min_notice_minutes",
                self.min_notice_minutes,
                NOTICE_MINUTES,
            ),
            ("horizon_days", self.horizon_days, HORIZON_DAYS),
        ] {
            if !range.contains(&value) {
                return Err(ScheduleError::OutOfRange {
                    field,
                    min: *range.start(),
                    max: *range.end(),
                });
            }
        }
        Ok(())
    }

    pub fn slot(&self) -> Duration {
        Duration::minutes(self.slot_minutes)
    }

    pub fn buffer(&self) -> Duration {
        Duration::minutes(self.buffer_minutes)
    }
}

/// One doctor's availability in one clinic.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub zone: Tz,
    pub weekly: Vec<WeeklyInterval>,
    pub exceptions: Vec<Exception>,
    pub rules: SlotRules,
}

impl Schedule {
    /// Every interval ends after it starts, the weekly intervals of a day do not overlap, nor do
    /// the exceptions of a date, and the rules are in range.
    pub fn validate(&self) -> Result<(), ScheduleError> {
        self.rules.validate()?;
        if self.weekly.len() + self.exceptions.len() > MAX_INTERVALS {
            return Err(ScheduleError::TooManyIntervals);
        }
        let mut weekly: Vec<_> = self
            .weekly
            .iter()
            .map(|i| (i.weekday.num_days_from_monday(), i.starts, i.ends))
            .collect();
        let mut dated: Vec<_> = self
            .exceptions
            .iter()
            .map(|e| (e.on, e.starts, e.ends))
            .collect();
        weekly.sort();
        dated.sort();
        for &(_, starts, ends) in &weekly {
            if starts >= ends {
                return Err(ScheduleError::EmptyInterval { starts, ends });
            }
        }
        for &(_, starts, ends) in &dated {
            if starts >= ends {
                return Err(ScheduleError::EmptyInterval { starts, ends });
            }
        }
        if let Some(w) = weekly
            .windows(2)
            .find(|w| w[0].0 == w[1].0 && w[1].1 < w[0].2)
        {
            let day = Weekday::try_from(w[0].0 as u8)
                .map_or_else(|_| "a day".into(), |d| format!("{d:?}"));
            return Err(ScheduleError::Overlapping(day));
        }
        if let Some(w) = dated
            .windows(2)
            .find(|w| w[0].0 == w[1].0 && w[1].1 < w[0].2)
        {
            return Err(ScheduleError::Overlapping(w[0].0.to_string()));
        }
        Ok(())
    }
}

/// A time the doctor is taken: an existing held or confirmed booking, from its start to the
/// end of its buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy {
    pub starts: DateTime<Utc>,
    pub blocked_until: DateTime<Utc>,
}

/// A free slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Slot {
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
}

/// The free slots of `schedule` starting in `[from, to)`, in time order: inside its
/// availability, at least the minimum notice after `now`, at most the horizon after it, and
/// clear (with the buffer) of every `busy` time.
pub fn slots(
    schedule: &Schedule,
    busy: &[Busy],
    now: DateTime<Utc>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<Slot> {
    let rules = schedule.rules;
    let earliest = from.max(now + Duration::minutes(rules.min_notice_minutes));
    let latest = to.min(now + Duration::days(rules.horizon_days));
    if earliest >= latest {
        return Vec::new();
    }
    let zone = schedule.zone;
    // Every local date whose intervals can reach the window (a day either side for zones far
    // from UTC).
    let first = earliest.with_timezone(&zone).date_naive() - Duration::days(1);
    let last = latest.with_timezone(&zone).date_naive() + Duration::days(1);
    let mut open = Vec::new();
    let mut closed = Vec::new();
    for day in first.iter_days().take_while(|d| *d <= last) {
        for w in schedule
            .weekly
            .iter()
            .filter(|w| w.weekday == day.weekday())
        {
            open.push(span(zone, day, w.starts, w.ends));
        }
        for e in schedule.exceptions.iter().filter(|e| e.on == day) {
            let s = span(zone, day, e.starts, e.ends);
            if e.available {
                open.push(s)
            } else {
                closed.push(s)
            }
        }
    }
    let step = rules.slot() + rules.buffer();
    let mut out = Vec::new();
    // Where the previous slot's buffer ends: a slot of the next span never starts inside it,
    // whatever gap the availability has.
    let mut after = None;
    for (a, b) in subtract(merge(open), &merge(closed)) {
        let mut t = after.map_or(a, |after: DateTime<Utc>| after.max(a));
        while t + rules.slot() <= b {
            after = Some(t + step);
            let blocked_until = t + step;
            let clear = busy
                .iter()
                .all(|x| x.blocked_until <= t || x.starts >= blocked_until);
            if t >= earliest && t < latest && clear {
                out.push(Slot {
                    starts: t,
                    ends: t + rules.slot(),
                });
            }
            t += step;
        }
    }
    out
}

/// The real time an interval of wall-clock time on `day` covers.
fn span(
    zone: Tz,
    day: NaiveDate,
    starts: NaiveTime,
    ends: NaiveTime,
) -> (DateTime<Utc>, DateTime<Utc>) {
    (
        instant(zone, day.and_time(starts), true),
        instant(zone, day.and_time(ends), false),
    )
}

/// The instant the wall clock of `zone` reads `local`: the earlier or the later of a repeated
/// time, and the end of the gap for a skipped one.
fn instant(zone: Tz, local: NaiveDateTime, earlier: bool) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, b) => if earlier { a } else { b }.with_timezone(&Utc),
        LocalResult::None => {
            // Skipped by a change of offset: the first minute after the gap (gaps are whole or
            // half hours, never a day; the bound only keeps a broken zone rule from looping).
            let mut t = local;
            for _ in 0..24 * 60 {
                t += Duration::minutes(1);
                if let Some(found) = zone.from_local_datetime(&t).earliest() {
                    return found.with_timezone(&Utc);
                }
            }
            Utc.from_utc_datetime(&local)
        }
    }
}

type Span = (DateTime<Utc>, DateTime<Utc>);

/// The union of `spans`, as disjoint spans in order (touching spans join).
fn merge(mut spans: Vec<Span>) -> Vec<Span> {
    spans.retain(|(a, b)| a < b);
    spans.sort();
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for (a, b) in spans {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// `open` without `closed` (both disjoint and in order).
fn subtract(open: Vec<Span>, closed: &[Span]) -> Vec<Span> {
    let mut out = Vec::new();
    for (mut a, b) in open {
        for &(c, d) in closed {
            if d <= a || c >= b {
                continue;
            }
            if c > a {
                out.push((a, c));
            }
            a = d;
        }
        if a < b {
            out.push((a, b));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn rules(slot: i64, buffer: i64) -> SlotRules {
        SlotRules {
            slot_minutes: slot,
            buffer_minutes: buffer,
            min_notice_minutes: 0,
            horizon_days: 365,
        }
    }

    fn every_day(zone: &str, starts: NaiveTime, ends: NaiveTime, slot: i64) -> Schedule {
        Schedule {
            zone: super::zone(zone).unwrap(),
            weekly: (0u8..7)
                .map(|n| WeeklyInterval {
                    weekday: Weekday::try_from(n).unwrap(),
                    starts,
                    ends,
                })
                .collect(),
            exceptions: vec![],
            rules: rules(slot, 0),
        }
    }

    /// The slots of one local date, as wall-clock times of the zone.
    fn local_day(s: &Schedule, day: &str) -> Vec<String> {
        let day = d(day);
        let from = instant(s.zone, day.and_time(t(0, 0)), true);
        let to = instant(s.zone, (day + Duration::days(1)).and_time(t(0, 0)), true);
        slots(s, &[], from - Duration::days(1), from, to)
            .into_iter()
            .map(|x| {
                x.starts
                    .with_timezone(&s.zone)
                    .format("%H:%M %Z")
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn daylight_saving_changes_neither_repeat_nor_drop_a_slot() {
        // New York: 2026-03-08 02:00 EST → 03:00 EDT; 2026-11-01 02:00 EDT → 01:00 EST.
        let ny = every_day("America/New_York", t(1, 0), t(4, 0), 30);
        assert_eq!(
            local_day(&ny, "2026-03-08"),
            ["01:00 EST", "01:30 EST", "03:00 EDT", "03:30 EDT"]
        );
        assert_eq!(
            local_day(&ny, "2026-11-01"),
            [
                "01:00 EDT",
                "01:30 EDT",
                "01:00 EST",
                "01:30 EST",
                "02:00 EST",
                "02:30 EST",
                "03:00 EST",
                "03:30 EST"
            ]
        );
        // London: 2026-03-29 01:00 GMT → 02:00 BST; 2026-10-25 02:00 BST → 01:00 GMT.
        let london = every_day("Europe/London", t(0, 30), t(2, 30), 30);
        assert_eq!(local_day(&london, "2026-03-29"), ["00:30 GMT", "02:00 BST"]);
        assert_eq!(
            local_day(&london, "2026-10-25"),
            [
                "00:30 BST",
                "01:00 BST",
                "01:30 BST",
                "01:00 GMT",
                "01:30 GMT",
                "02:00 GMT"
            ]
        );
        // Johannesburg keeps one offset all year.
        let jhb = every_day("Africa/Johannesburg", t(9, 0), t(10, 0), 20);
        for day in ["2026-03-08", "2026-03-29", "2026-10-25", "2026-11-01"] {
            assert_eq!(
                local_day(&jhb, day),
                ["09:00 SAST", "09:20 SAST", "09:40 SAST"]
            );
        }
    }

    #[test]
    fn office_hours_are_the_same_wall_clock_slots_every_day_across_the_changes() {
        for zone in ["America/New_York", "Europe/London", "Africa/Johannesburg"] {
            let s = every_day(zone, t(9, 0), t(17, 0), 30);
            let expected: Vec<String> = (0..16)
                .map(|i| format!("{:02}:{:02}", 9 + i / 2, (i % 2) * 30))
                .collect();
            for start in ["2026-03-01", "2026-10-20"] {
                for day in d(start).iter_days().take(14) {
                    let got: Vec<String> = local_day(&s, &day.to_string())
                        .into_iter()
                        .map(|x| x[..5].to_owned())
                        .collect();
                    assert_eq!(got, expected, "{zone} {day}");
                }
            }
        }
    }

    #[test]
    fn bookings_buffer_notice_horizon_and_exceptions() {
        let mut s = every_day("Africa/Johannesburg", t(9, 0), t(11, 0), 30);
        s.rules.buffer_minutes = 10;
        // 09:00, 09:40, 10:20 (10:20 + 30 = 10:50 ≤ 11:00; its buffer may run past the end).
        let day = |s: &Schedule| local_day(s, "2026-06-10");
        assert_eq!(day(&s), ["09:00 SAST", "09:40 SAST", "10:20 SAST"]);
        // A booking 09:40–10:10 (+10 buffer until 10:20) takes only its own slot.
        let busy = [Busy {
            starts: utc("2026-06-10T07:40:00Z"),
            blocked_until: utc("2026-06-10T08:20:00Z"),
        }];
        let from = utc("2026-06-10T00:00:00Z");
        let to = utc("2026-06-11T00:00:00Z");
        let free: Vec<_> = slots(&s, &busy, utc("2026-06-01T00:00:00Z"), from, to)
            .iter()
            .map(|x| x.starts)
            .collect();
        assert_eq!(
            free,
            [utc("2026-06-10T07:00:00Z"), utc("2026-06-10T08:20:00Z")]
        );
        // A booking in another clinic at 09:35 with a long buffer blocks both neighbours.
        let busy = [Busy {
            starts: utc("2026-06-10T07:35:00Z"),
            blocked_until: utc("2026-06-10T08:25:00Z"),
        }];
        assert!(slots(&s, &busy, utc("2026-06-01T00:00:00Z"), from, to).is_empty());
        // Notice: at 09:05 with two hours' notice nothing is left that day.
        s.rules.min_notice_minutes = 120;
        assert!(slots(&s, &[], utc("2026-06-10T07:05:00Z"), from, to).is_empty());
        s.rules.min_notice_minutes = 30;
        assert_eq!(
            slots(&s, &[], utc("2026-06-10T07:05:00Z"), from, to).len(),
            2
        );
        // Horizon: 7 days ahead at most.
        s.rules.horizon_days = 7;
        assert!(slots(&s, &[], utc("2026-06-02T08:00:00Z"), from, to).is_empty());
        s.rules.horizon_days = 30;
        // Leave on the day; extra hours on another merge with its weekly ones.
        s.exceptions = vec![
            Exception {
                on: d("2026-06-10"),
                starts: t(0, 0),
                ends: t(23, 59),
                available: false,
            },
            Exception {
                on: d("2026-06-13"),
                starts: t(10, 0),
                ends: t(12, 0),
                available: true,
            },
        ];
        assert!(day(&s).is_empty());
        assert_eq!(
            local_day(&s, "2026-06-13"),
            ["09:00 SAST", "09:40 SAST", "10:20 SAST", "11:00 SAST"]
        );
    }

    #[test]
    fn schedules_are_validated() {
        let mut s = every_day("Europe/London", t(9, 0), t(12, 0), 30);
        assert_eq!(s.validate(), Ok(()));
        s.weekly.push(WeeklyInterval {
            weekday: Weekday::Mon,
            starts: t(11, 0),
            ends: t(13, 0),
        });
        assert_eq!(s.validate().unwrap_err().code(), "OVERLAPPING_INTERVALS");
        s.weekly.pop();
        s.weekly.push(WeeklyInterval {
            weekday: Weekday::Mon,
            starts: t(12, 0),
            ends: t(13, 0),
        });
        assert_eq!(s.validate(), Ok(()), "touching intervals are fine");
        s.exceptions.push(Exception {
            on: d("2026-06-01"),
            starts: t(9, 0),
            ends: t(9, 0),
            available: true,
        });
        assert_eq!(s.validate().unwrap_err().code(), "EMPTY_INTERVAL");
        s.exceptions.clear();
        s.rules.slot_minutes = 4;
        assert_eq!(s.validate().unwrap_err().code(), "OUT_OF_RANGE");
        assert_eq!(
            zone("Mars/Olympus").unwrap_err().code(),
            "UNKNOWN_TIME_ZONE"
        );
    }

    fn arb_schedule() -> impl Strategy<Value = Schedule> {
        let zones = prop::sample::select(vec![
            "America/New_York",
            "Europe/London",
            "Africa/Johannesburg",
            "Asia/Kolkata",
            "Australia/Lord_Howe",
        ]);
        let interval = (0u8..7, 0u32..24 * 4, 1u32..24 * 4).prop_map(|(day, start, len)| {
            let start = start * 15;
            let end = (start + len * 15).min(24 * 60 - 1);
            WeeklyInterval {
                weekday: Weekday::try_from(day).unwrap(),
                starts: t(start / 60, start % 60),
                ends: t(end / 60, end % 60),
            }
        });
        let exception = (0i64..40, 0u32..24 * 4, 1u32..24 * 4, any::<bool>()).prop_map(
            |(day, start, len, available)| {
                let start = start * 15;
                let end = (start + len * 15).min(24 * 60 - 1);
                Exception {
                    on: d("2026-10-15") + Duration::days(day),
                    starts: t(start / 60, start % 60),
                    ends: t(end / 60, end % 60),
                    available,
                }
            },
        );
        (
            zones,
            prop::collection::vec(interval, 0..8),
            prop::collection::vec(exception, 0..6),
            5i64..120,
            0i64..30,
            0i64..600,
        )
            .prop_map(
                |(zone, weekly, exceptions, slot, buffer, notice)| Schedule {
                    zone: super::zone(zone).unwrap(),
                    weekly,
                    exceptions,
                    rules: SlotRules {
                        slot_minutes: slot,
                        buffer_minutes: buffer,
                        min_notice_minutes: notice,
                        horizon_days: 30,
                    },
                },
            )
    }

    proptest! {
        /// Whatever the schedule and bookings: slots come in order, never twice, never
        /// overlapping each other or a booking (buffers included), each the slot length long,
        /// inside the window, the notice and the horizon; and a booking only ever removes slots.
        #[test]
        fn slots_are_ordered_disjoint_and_clear(
            schedule in arb_schedule(),
            now_minutes in 0i64..60 * 24 * 20,
            booked in prop::collection::vec((0i64..60 * 24 * 40, 5i64..180), 0..12),
        ) {
            let base = utc("2026-10-15T00:00:00Z");
            let now = base + Duration::minutes(now_minutes);
            let (from, to) = (base, base + Duration::days(40));
            let busy: Vec<Busy> = booked.iter().map(|&(at, len)| Busy {
                starts: base + Duration::minutes(at),
                blocked_until: base + Duration::minutes(at + len),
            }).collect();
            let all = slots(&schedule, &[], now, from, to);
            let free = slots(&schedule, &busy, now, from, to);
            let r = schedule.rules;
            for pair in free.windows(2) {
                prop_assert!(pair[0].starts + r.slot() + r.buffer() <= pair[1].starts);
            }
            for s in &free {
                prop_assert_eq!(s.ends - s.starts, r.slot());
                prop_assert!(s.starts >= from && s.starts < to);
                prop_assert!(s.starts >= now + Duration::minutes(r.min_notice_minutes));
                prop_assert!(s.starts <= now + Duration::days(r.horizon_days));
                let blocked_until = s.starts + r.slot() + r.buffer();
                for b in &busy {
                    prop_assert!(b.blocked_until <= s.starts || b.starts >= blocked_until);
                }
                prop_assert!(all.contains(s));
            }
        }
    }
}
