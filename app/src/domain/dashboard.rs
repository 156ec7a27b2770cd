//! The dashboard's filters (kept in the URL) and what it shows.

use super::codes::{Direction, Kind, Offence};
use super::country;
use super::figures::{CountryOrder, CountryRow, Figures, GroundRow, MonthRow, QuarterRow, ReciprocityRow};
use super::filter::{ListParams, RequestFilter, StatusFilter};
use super::group::{CountryGroup, GroupRow};
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The period, by start date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Period {
    /// the last n calendar months, the current one included (up to today)
    Months(u32),
    Year(i32),
    /// from/to as given
    Custom,
    All,
}

impl Default for Period {
    fn default() -> Self {
        Period::Months(12)
    }
}

impl Period {
    pub fn code(self) -> String {
        match self {
            Period::Months(n) => format!("{n}m"),
            Period::Year(y) => y.to_string(),
            Period::Custom => "custom".into(),
            Period::All => "all".into(),
        }
    }

    pub fn from_code(code: &str) -> Option<Period> {
        match code {
            "12m" => Some(Period::Months(12)),
            "18m" => Some(Period::Months(18)),
            "24m" => Some(Period::Months(24)),
            "custom" => Some(Period::Custom),
            "all" => Some(Period::All),
            y if y.len() == 4 => y.parse().ok().filter(|y| (1990..=2100).contains(y)).map(Period::Year),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardParams {
    /// outgoing unless chosen
    pub direction: Option<Direction>,
    pub period: Period,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub country: Option<String>,
    pub kind: Option<Kind>,
    pub offence: Option<Offence>,
    pub case_id: Option<i64>,
    pub legal_basis: Option<String>,
    pub group_id: Option<i64>,
    pub order: CountryOrder,
    /// the world map shows the response rate instead of the fulfilment rate
    pub map_response: bool,
}

impl DashboardParams {
    pub const KEYS: &'static [&'static str] =
        &["direction", "period", "from", "to", "country", "kind", "offence", "case", "basis", "group", "order", "map"];

    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> DashboardParams {
        let map: std::collections::HashMap<&str, &str> =
            pairs.into_iter().filter(|(_, v)| !v.trim().is_empty()).map(|(k, v)| (k, v.trim())).collect();
        let get = |k: &str| map.get(k).copied();
        DashboardParams {
            direction: Some(get("direction").and_then(Direction::from_code).unwrap_or(Direction::Outgoing)),
            period: get("period").and_then(Period::from_code).unwrap_or_default(),
            from: get("from").and_then(|d| d.parse().ok()),
            to: get("to").and_then(|d| d.parse().ok()),
            country: get("country").and_then(country::parse).map(str::to_string),
            kind: get("kind").and_then(Kind::from_code),
            offence: get("offence").and_then(Offence::from_code),
            case_id: get("case").and_then(|c| c.parse().ok()),
            legal_basis: get("basis").filter(|b| b.len() <= 64).map(str::to_string),
            group_id: get("group").and_then(|g| g.parse().ok()),
            order: get("order").and_then(CountryOrder::from_code).unwrap_or_default(),
            map_response: get("map") == Some("response"),
        }
    }

    /// The first and last start date the period covers.
    pub fn range(&self, today: NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>) {
        match self.period {
            Period::Months(n) => {
                (today.with_day(1).and_then(|d| d.checked_sub_months(Months::new(n.saturating_sub(1)))), Some(today))
            }
            Period::Year(y) => (NaiveDate::from_ymd_opt(y, 1, 1), NaiveDate::from_ymd_opt(y, 12, 31)),
            Period::Custom => (self.from, self.to),
            Period::All => (None, None),
        }
    }

    /// The registry filter of the same set of requests.
    pub fn filter(&self, today: NaiveDate) -> RequestFilter {
        let (from, to) = self.range(today);
        RequestFilter {
            direction: self.direction,
            country: self.country.clone(),
            status: None,
            kind: self.kind,
            offence: self.offence,
            case_id: self.case_id,
            from,
            to,
            q: None,
            legal_basis: self.legal_basis.clone(),
            group_id: self.group_id,
            translation_missing: false,
            assignee: None,
            reminder_due: false,
        }
    }

    /// The registry list behind a bar or segment: the same filters, one country, one status.
    pub fn drill_down(&self, today: NaiveDate, country: Option<&str>, status: Option<StatusFilter>) -> String {
        let mut filter = self.filter(today);
        if let Some(c) = country {
            filter.country = Some(c.to_string());
        }
        filter.status = status;
        ListParams { filter, ..Default::default() }.href("/requests")
    }

    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![("direction", self.direction.unwrap_or(Direction::Outgoing).code().to_string())];
        out.push(("period", self.period.code()));
        if self.period == Period::Custom {
            if let Some(d) = self.from {
                out.push(("from", d.to_string()));
            }
            if let Some(d) = self.to {
                out.push(("to", d.to_string()));
            }
        }
        if let Some(c) = &self.country {
            out.push(("country", c.clone()));
        }
        if let Some(k) = self.kind {
            out.push(("kind", k.code().to_string()));
        }
        if let Some(o) = self.offence {
            out.push(("offence", o.code().to_string()));
        }
        if let Some(c) = self.case_id {
            out.push(("case", c.to_string()));
        }
        if let Some(b) = &self.legal_basis {
            out.push(("basis", b.clone()));
        }
        if let Some(g) = self.group_id {
            out.push(("group", g.to_string()));
        }
        out.push(("order", self.order.code().to_string()));
        if self.map_response {
            out.push(("map", "response".to_string()));
        }
        out
    }

    /// The registry list of the requests started in one month ("YYYY-MM") under the
    /// same filters (the month clipped to the period).
    pub fn drill_down_month(&self, today: NaiveDate, month: &str) -> String {
        let mut filter = self.filter(today);
        let first = format!("{month}-01").parse::<NaiveDate>().ok();
        let last = first.and_then(|f| f.checked_add_months(Months::new(1))).and_then(|d| d.pred_opt());
        filter.from = filter.from.max(first);
        filter.to = match (filter.to, last) {
            (Some(t), Some(l)) => Some(t.min(l)),
            (t, l) => t.or(l),
        };
        ListParams { filter, ..Default::default() }.href("/requests")
    }

    /// A download of the dashboard's data: one chart's numbers as CSV.
    pub fn csv_href(&self, chart: &str) -> String {
        format!("{}&chart={chart}", self.href("/dashboard.csv"))
    }

    pub fn href(&self, path: &str) -> String {
        let q: Vec<String> = self.to_pairs().iter().map(|(k, v)| format!("{k}={}", super::filter::url_encode(v))).collect();
        format!("{path}?{}", q.join("&"))
    }

    pub fn with_order(&self, order: CountryOrder) -> DashboardParams {
        DashboardParams { order, ..self.clone() }
    }

    /// Years offered as periods: this one and the four before.
    pub fn years(today: NaiveDate) -> Vec<i32> {
        (0..5).map(|n| today.year() - n).collect()
    }
}

/// Everything the dashboard shows for its filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub figures: Figures,
    /// every legal basis, for the filter
    pub legal_bases: Vec<super::codes::LegalBasis>,
    pub countries: Vec<CountryRow>,
    pub months: Vec<MonthRow>,
    pub quarters: Vec<QuarterRow>,
    pub grounds: Vec<GroundRow>,
    /// countries with requests in both directions, whatever the direction filter
    pub reciprocity: Vec<ReciprocityRow>,
    /// every group, for the filter
    pub groups: Vec<CountryGroup>,
    /// every group's figures under the other filters, side by side
    pub group_rows: Vec<GroupRow>,
    /// persons in the extradition requests the filters select, by country (none when the
    /// filters choose another kind of assistance)
    pub extradition_persons: Vec<(String, super::country_profile::PersonFigures)>,
    /// the pending requests (open or suspended) by their age today, in
    /// `figures::ANSWER_BANDS` (filled by the dashboard's server function)
    #[serde(default)]
    pub pending_ages: [i64; 5],
    /// the events marked on the time charts within the period that concern the view's
    /// country (every event without one) (filled by the dashboard's server function)
    #[serde(default)]
    pub events: Vec<super::chart_event::ChartEvent>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub today: NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_outgoing_last_twelve_months() {
        let p = DashboardParams::from_pairs([]);
        assert_eq!(p.direction, Some(Direction::Outgoing));
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        // calendar months: December 2025 to November 2026 (today)
        assert_eq!(p.range(today), (Some("2025-12-01".parse().unwrap()), Some(today)));
        let p = DashboardParams::from_pairs([("period", "2025")]);
        assert_eq!(p.range(today), (Some("2025-01-01".parse().unwrap()), Some("2025-12-31".parse().unwrap())));
        let p = DashboardParams::from_pairs([("period", "18m")]);
        assert_eq!(p.range(today).0, Some("2025-06-01".parse().unwrap()));
    }

    #[test]
    fn drill_down_keeps_the_filters() {
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        let p = DashboardParams::from_pairs([("period", "2025"), ("kind", "extradition")]);
        assert_eq!(
            p.drill_down(today, Some("DE"), Some(StatusFilter::Overdue)),
            "/requests?direction=outgoing&country=DE&status=overdue&kind=extradition&from=2025-01-01&to=2025-12-31"
        );
    }

    #[test]
    fn month_drill_down_is_clipped_to_the_period() {
        let today: NaiveDate = "2026-11-23".parse().unwrap();
        let p = DashboardParams::from_pairs([("period", "custom"), ("from", "2025-03-10"), ("to", "2025-05-31")]);
        assert_eq!(p.drill_down_month(today, "2025-03"), "/requests?direction=outgoing&from=2025-03-10&to=2025-03-31");
        assert_eq!(p.drill_down_month(today, "2025-04"), "/requests?direction=outgoing&from=2025-04-01&to=2025-04-30");
        let p = DashboardParams::from_pairs([]);
        assert_eq!(p.drill_down_month(today, "2026-11"), "/requests?direction=outgoing&from=2026-11-01&to=2026-11-23");
    }

    #[test]
    fn url_round_trip() {
        let p = DashboardParams::from_pairs([
            ("direction", "incoming"),
            ("period", "custom"),
            ("from", "2024-01-01"),
            ("order", "overdue"),
            ("map", "response"),
        ]);
        let pairs = p.to_pairs();
        let back = DashboardParams::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(back, p);
    }
}
