//! Where the timeline's point labels go: beside their mark, above or below the lane's line, clear
//! of each other and, where there is another place, of the milestone lines. A label with no room is
//! left out and counted in a "+N more" on its neighbour (or on its own), so the chart never prints
//! one label over another. Pure geometry in points: no drawing, no fonts (the caller measures).

/// A label to place beside the mark spanning `mark.0..=mark.1` (a point: both the same) in `lane`.
/// Labels of higher `priority` are placed first.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LabelAsk {
    pub lane: usize,
    pub mark: (f32, f32),
    pub text: String,
    pub priority: u8,
}

/// A placed label: its left edge, width, row (above or below the lane's line) and text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlacedLabel {
    pub lane: usize,
    pub x0: f32,
    pub width: f32,
    pub above: bool,
    pub text: String,
    /// It crosses a milestone line (there was no other place): draw it on a backing.
    pub over_line: bool,
    /// It is right of its mark (else left of it): a "+N more" grows away from the mark.
    pub right: bool,
}

impl PlacedLabel {
    fn x1(&self) -> f32 {
        self.x0 + self.width
    }
}

/// Space kept between two labels in a row, so that neighbours do not read as one label.
pub(crate) const GAP: f32 = 9.0;
/// Space between a mark and its label.
pub(crate) const OFFSET: f32 = 5.0;

/// The place of each label that fits (in `asks` order of lanes, then left to right), within
/// `lo..=hi`. `width` measures a text; `lines` are the x positions of the milestone lines.
pub(crate) fn place(
    asks: &[LabelAsk],
    width: &dyn Fn(&str) -> f32,
    lines: &[f32],
    lo: f32,
    hi: f32,
) -> Vec<PlacedLabel> {
    let mut lanes: Vec<usize> = asks.iter().map(|a| a.lane).collect();
    lanes.sort_unstable();
    lanes.dedup();
    let mut out = Vec::new();
    for lane in lanes {
        let mut mine: Vec<&LabelAsk> = asks.iter().filter(|a| a.lane == lane).collect();
        mine.sort_by(|a, b| a.mark.0.total_cmp(&b.mark.0));
        out.extend(place_lane(&mine, width, lines, lo, hi));
    }
    out
}

/// The candidate boxes for a label of width `w` beside `mark`: right of it above, below, then
/// left of it above, below. A label whose neighbour took the row above goes below: crowded
/// labels alternate.
fn candidates(mark: (f32, f32), w: f32) -> [(f32, bool); 4] {
    let (right, left) = (mark.1 + OFFSET, mark.0 - OFFSET - w);
    [(right, true), (right, false), (left, true), (left, false)]
}

/// A lane's labels: placed in order of priority, then left to right; then each run of left-out
/// labels (left to right) is counted on the label placed just before it ("X +2 more"; just
/// after it at the lane's start), else on a "+2 more" of its own at its first mark, else that
/// label gives its place to the count ("+3 more"), else the run is dropped.
fn place_lane(
    asks: &[&LabelAsk],
    width: &dyn Fn(&str) -> f32,
    lines: &[f32],
    lo: f32,
    hi: f32,
) -> Vec<PlacedLabel> {
    let mut placed: Vec<PlacedLabel> = Vec::new();
    // Per placed label: its own text (None once it gave its place to a count) and its count.
    let mut own: Vec<Option<String>> = Vec::new();
    let mut count: Vec<usize> = Vec::new();
    // For each ask: the index in `placed`, or None when it had no room.
    let mut slot: Vec<Option<usize>> = vec![None; asks.len()];
    let mut order: Vec<usize> = (0..asks.len()).collect();
    order.sort_by_key(|&k| std::cmp::Reverse(asks[k].priority));
    for k in order {
        let ask = asks[k];
        let w = width(&ask.text);
        if let Some((x0, above, over_line)) = find(&placed, ask.mark, w, lines, lo, hi) {
            slot[k] = Some(placed.len());
            placed.push(PlacedLabel {
                lane: ask.lane,
                x0,
                width: w,
                above,
                text: ask.text.clone(),
                over_line,
                right: x0 > ask.mark.1,
            });
            own.push(Some(ask.text.clone()));
            count.push(0);
        }
    }
    let text = |own: &Option<String>, n: usize| match (own, n) {
        (Some(t), 0) => t.clone(),
        (Some(t), n) => format!("{t} +{n} more"),
        (None, n) => format!("+{n} more"),
    };
    let mut i = 0;
    while i < asks.len() {
        if slot[i].is_some() {
            i += 1;
            continue;
        }
        let start = i;
        while i < asks.len() && slot[i].is_none() {
            i += 1;
        }
        let n = i - start;
        let host = slot[..start]
            .iter()
            .rev()
            .flatten()
            .next()
            .or_else(|| slot[i..].iter().flatten().next())
            .copied();
        if let Some(h) = host {
            let t = text(&own[h], count[h] + n);
            if retext(&mut placed, h, t, width, lines, lo, hi) {
                count[h] += n;
                continue;
            }
        }
        let t = text(&None, n);
        let w = width(&t);
        let mark = asks[start].mark;
        if let Some((x0, above, over_line)) = find(&placed, mark, w, lines, lo, hi) {
            placed.push(PlacedLabel {
                lane: asks[start].lane,
                x0,
                width: w,
                above,
                text: t,
                over_line,
                right: x0 > mark.1,
            });
            own.push(None);
            count.push(n);
            continue;
        }
        if let Some(h) = host {
            let t = text(&None, count[h] + n + 1);
            if retext(&mut placed, h, t, width, lines, lo, hi) {
                own[h] = None;
                count[h] += n + 1;
            }
        }
    }
    placed.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    placed
}

/// Gives placed label `h` the text `text`, growing away from its mark, if it still fits (and
/// crosses a line only if it already did).
fn retext(
    placed: &mut [PlacedLabel],
    h: usize,
    text: String,
    width: &dyn Fn(&str) -> f32,
    lines: &[f32],
    lo: f32,
    hi: f32,
) -> bool {
    let w = width(&text);
    let p = &placed[h];
    let x0 = if p.right { p.x0 } else { p.x1() - w };
    let crossing = crosses(lines, x0, w);
    if !fits(placed, x0, w, p.above, lo, hi, Some(h)) || (crossing && !p.over_line) {
        return false;
    }
    let p = &mut placed[h];
    (p.x0, p.width, p.text) = (x0, w, text);
    p.over_line = crossing;
    true
}

/// The first candidate that is free and crosses no line, else the first that is free.
fn find(
    placed: &[PlacedLabel],
    mark: (f32, f32),
    w: f32,
    lines: &[f32],
    lo: f32,
    hi: f32,
) -> Option<(f32, bool, bool)> {
    let free: Vec<(f32, bool)> = candidates(mark, w)
        .into_iter()
        .filter(|&(x0, above)| fits(placed, x0, w, above, lo, hi, None))
        .collect();
    free.iter()
        .find(|&&(x0, _)| !crosses(lines, x0, w))
        .map(|&(x0, above)| (x0, above, false))
        .or_else(|| free.first().map(|&(x0, above)| (x0, above, true)))
}

/// Inside `lo..=hi` and clear of every label in the same row (but `skip`).
fn fits(
    placed: &[PlacedLabel],
    x0: f32,
    w: f32,
    above: bool,
    lo: f32,
    hi: f32,
    skip: Option<usize>,
) -> bool {
    x0 >= lo
        && x0 + w <= hi
        && placed
            .iter()
            .enumerate()
            .filter(|(i, p)| Some(*i) != skip && p.above == above)
            .all(|(_, p)| x0 + w + GAP <= p.x0 || x0 >= p.x1() + GAP)
}

/// Whether a label at `x0..x0 + w` would be drawn across one of the lines.
fn crosses(lines: &[f32], x0: f32, w: f32) -> bool {
    lines.iter().any(|&l| l >= x0 - 1.0 && l <= x0 + w + 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 5 points per character: enough to reason about the geometry by hand.
    fn w(text: &str) -> f32 {
        text.chars().count() as f32 * 5.0
    }

    fn ask(lane: usize, x: f32, text: &str) -> LabelAsk {
        LabelAsk {
            lane,
            mark: (x, x),
            text: text.into(),
            priority: 0,
        }
    }

    fn overlaps(a: &PlacedLabel, b: &PlacedLabel) -> bool {
        a.lane == b.lane && a.above == b.above && a.x0 < b.x1() + GAP && b.x0 < a.x1() + GAP
    }

    fn no_two_overlap(placed: &[PlacedLabel]) {
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                assert!(!overlaps(a, b), "{a:?} and {b:?} overlap");
            }
        }
    }

    #[test]
    fn a_lone_label_goes_above_right_of_its_mark() {
        let p = place(&[ask(0, 100.0, "ListBuckets")], &w, &[], 0.0, 500.0);
        assert_eq!(p.len(), 1);
        assert_eq!((p[0].x0, p[0].above, p[0].over_line), (105.0, true, false));
    }

    #[test]
    fn close_labels_alternate_above_and_below() {
        let asks = [
            ask(0, 100.0, "GetCallerIdentity"),
            ask(0, 110.0, "DescribeSecret"),
            ask(0, 120.0, "ListSecrets"),
        ];
        let p = place(&asks, &w, &[], 0.0, 1000.0);
        no_two_overlap(&p);
        let rows: Vec<bool> = p.iter().map(|l| l.above).collect();
        assert!(rows.contains(&true) && rows.contains(&false), "{p:?}");
        // The third has no free row at its right, and goes to its left or into a "+N more".
        let texts: Vec<&str> = p.iter().map(|l| l.text.as_str()).collect();
        assert!(
            texts
                .iter()
                .any(|t| t.contains("ListSecrets") || t.contains("+1 more")),
            "{texts:?}"
        );
    }

    #[test]
    fn labels_in_other_lanes_do_not_collide() {
        let p = place(
            &[ask(0, 100.0, "Decrypt"), ask(1, 100.0, "GetSecretValue")],
            &w,
            &[],
            0.0,
            500.0,
        );
        assert!(p.iter().all(|l| l.above && l.x0 == 105.0), "{p:?}");
    }

    #[test]
    fn a_label_avoids_a_milestone_line_when_another_place_is_free() {
        // A line 20 points right of the mark: the label goes to the mark's left.
        let p = place(&[ask(0, 200.0, "PutUserPolicy")], &w, &[220.0], 0.0, 500.0);
        assert_eq!(p.len(), 1);
        assert!(!p[0].over_line);
        assert!(p[0].x1() <= 200.0, "{p:?}");
        // Lines on both sides: it crosses one, on a backing, rather than vanish.
        let p = place(
            &[ask(0, 200.0, "PutUserPolicy")],
            &w,
            &[190.0, 220.0],
            0.0,
            500.0,
        );
        assert_eq!(p.len(), 1);
        assert!(p[0].over_line);
    }

    #[test]
    fn labels_stay_inside_the_plot() {
        let p = place(
            &[ask(0, 5.0, "FirstCall"), ask(0, 495.0, "LastCall")],
            &w,
            &[],
            0.0,
            500.0,
        );
        assert_eq!(p.len(), 2);
        assert!(p.iter().all(|l| l.x0 >= 0.0 && l.x1() <= 500.0), "{p:?}");
        assert!(
            p[1].x1() <= 490.0,
            "the last one goes left of its mark: {p:?}"
        );
    }

    #[test]
    fn a_crowd_is_counted_not_overprinted() {
        let asks: Vec<LabelAsk> = (0..8)
            .map(|i| ask(0, 100.0 + i as f32 * 4.0, &format!("Call{i}")))
            .collect();
        let p = place(&asks, &w, &[], 0.0, 300.0);
        no_two_overlap(&p);
        let shown = p
            .iter()
            .map(|l| match l.text.split_once(" +") {
                Some((_, more)) => 1 + more.trim_end_matches(" more").parse::<usize>().unwrap(),
                None if l.text.starts_with('+') => {
                    l.text[1..].trim_end_matches(" more").parse().unwrap()
                }
                None => 1,
            })
            .sum::<usize>();
        assert_eq!(shown, 8, "every label shown or counted: {p:?}");
        assert!(p.iter().any(|l| l.text.contains(" more")), "{p:?}");
    }

    #[test]
    fn an_interval_mark_keeps_its_label_clear_of_the_bar() {
        let a = LabelAsk {
            lane: 0,
            mark: (100.0, 140.0),
            text: "TriggeredRules".into(),
            priority: 0,
        };
        let p = place(&[a], &w, &[], 0.0, 500.0);
        assert_eq!(p[0].x0, 145.0);
    }

    #[test]
    fn a_label_of_higher_priority_gets_its_place_first() {
        let mut result = ask(0, 106.0, "result: contained");
        result.priority = 2;
        let asks = [
            ask(0, 100.0, "PutUserPolicy"),
            ask(0, 102.0, "UpdateAccessKey"),
            ask(0, 104.0, "DeleteLoginProfile"),
            result,
        ];
        let p = place(&asks, &w, &[], 0.0, 400.0);
        no_two_overlap(&p);
        let result = p.iter().find(|l| l.text.starts_with("result: contained"));
        assert!(result.is_some_and(|l| l.above && l.x0 == 111.0), "{p:?}");
    }

    #[test]
    fn with_no_room_for_a_count_a_label_gives_its_place_to_it() {
        // Room for one label only, above or below, between the plot's edges.
        let asks = [
            ask(0, 10.0, "Abcdefgh"),
            ask(0, 12.0, "Ijklmnop"),
            ask(0, 14.0, "Qrstuvwx"),
        ];
        let p = place(&asks, &w, &[], 0.0, 60.0);
        no_two_overlap(&p);
        let texts: Vec<&str> = p.iter().map(|l| l.text.as_str()).collect();
        assert!(texts.contains(&"Abcdefgh"), "{texts:?}");
        assert!(
            texts.iter().any(|t| t.starts_with('+') || t.contains(" +")),
            "the third is counted: {texts:?}"
        );
    }
}
