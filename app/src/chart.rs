//! Bar and line charts, drawn as SVG by the app itself (no chart library): the geometry,
//! pure and tested natively. A chart is a row of values, one per month; the screen draws
//! what [`plot`] gives in a `viewBox` of [`WIDTH`] × [`HEIGHT`] that scales to its box.

/// The drawing's width in `viewBox` units.
pub const WIDTH: f64 = 640.0;
/// The drawing's height in `viewBox` units.
pub const HEIGHT: f64 = 220.0;
/// Room for the value axis's labels.
const LEFT: f64 = 44.0;
/// Room for the month labels.
const BOTTOM: f64 = 24.0;
const TOP: f64 = 10.0;
const RIGHT: f64 = 8.0;
/// How many month labels fit under the chart before they are thinned out.
const MAX_LABELS: usize = 12;

/// The axis's top: the smallest 1, 2 or 5 × 10ⁿ at or above `max` (1 for an empty chart).
pub fn nice_max(max: u64) -> u64 {
    let mut step = 1u64;
    loop {
        for m in [1, 2, 5] {
            if let Some(top) = step.checked_mul(m)
                && top >= max
            {
                return top;
            }
        }
        match step.checked_mul(10) {
            Some(s) => step = s,
            None => return u64::MAX,
        }
    }
}

/// A bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

/// A line of the value axis: where, and the value it marks.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// Height in the drawing.
    pub y: f64,
    /// The value.
    pub value: u64,
}

/// A label under the chart: the centre of its slot, and which value it names.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// Centre.
    pub x: f64,
    /// The index of the value.
    pub index: usize,
}

/// Everything the screen draws for a row of values.
#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    /// One bar per value.
    pub bars: Vec<Bar>,
    /// The line's points (`x,y x,y …`, for `<polyline points>`).
    pub points: String,
    /// The line's dots, one per value.
    pub dots: Vec<(f64, f64)>,
    /// Value axis lines, bottom (0) to top.
    pub ticks: Vec<Tick>,
    /// Labels under the chart, thinned out to at most twelve.
    pub labels: Vec<Label>,
    /// Where the chart's floor is.
    pub floor: f64,
}

fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The geometry for `values`: bars and a line share the same slots and scale.
pub fn plot(values: &[u64]) -> Plot {
    let top = nice_max(values.iter().copied().max().unwrap_or(0));
    let inner_w = WIDTH - LEFT - RIGHT;
    let inner_h = HEIGHT - TOP - BOTTOM;
    let floor = TOP + inner_h;
    let n = values.len().max(1);
    let slot = inner_w / n as f64;
    let y_of = |v: u64| round(floor - inner_h * (v as f64 / top as f64));
    let centre = |i: usize| round(LEFT + slot * (i as f64 + 0.5));
    let bar_w = round(slot * 0.6);
    let bars = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let y = y_of(*v);
            Bar {
                x: round(centre(i) - bar_w / 2.0),
                y,
                w: bar_w,
                h: round(floor - y),
            }
        })
        .collect();
    let dots: Vec<(f64, f64)> = values
        .iter()
        .enumerate()
        .map(|(i, v)| (centre(i), y_of(*v)))
        .collect();
    let points = dots
        .iter()
        .map(|(x, y)| format!("{x},{y}"))
        .collect::<Vec<_>>()
        .join(" ");
    // Five lines when the top divides into five, else halves (an axis up to 1: its ends).
    let parts = match top {
        0 | 1 => 1,
        t if t % 5 == 0 => 5,
        _ => 2,
    };
    let ticks = (0..=parts)
        .map(|k| {
            let value = top / parts * k;
            Tick {
                y: y_of(value),
                value,
            }
        })
        .collect();
    let every = values.len().div_ceil(MAX_LABELS).max(1);
    let labels = (0..values.len())
        .filter(|i| i % every == 0)
        .map(|index| Label {
            x: centre(index),
            index,
        })
        .collect();
    Plot {
        bars,
        points,
        dots,
        ticks,
        labels,
        floor,
    }
}

/// The left edge of the value axis's labels (they end here).
pub const AXIS_LABEL_X: f64 = LEFT - 6.0;
/// Where the grid lines start and end.
pub const GRID: (f64, f64) = (LEFT, WIDTH - RIGHT);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_top_is_a_round_number_at_or_above_the_largest_value() {
        assert_eq!(nice_max(0), 1);
        assert_eq!(nice_max(1), 1);
        assert_eq!(nice_max(3), 5);
        assert_eq!(nice_max(7), 10);
        assert_eq!(nice_max(10), 10);
        assert_eq!(nice_max(11), 20);
        assert_eq!(nice_max(480), 500);
        assert_eq!(nice_max(501), 1000);
        assert_eq!(nice_max(u64::MAX), u64::MAX);
    }

    #[test]
    fn bars_stand_on_the_floor_in_proportion_and_inside_the_drawing() {
        let p = plot(&[0, 5, 10, 2]);
        assert_eq!(p.bars.len(), 4);
        let floor = p.floor;
        for b in &p.bars {
            assert!((b.y + b.h - floor).abs() < 0.2, "{b:?} stands on {floor}");
            assert!(b.x >= GRID.0 && b.x + b.w <= GRID.1, "{b:?} inside");
        }
        assert_eq!(p.bars[0].h, 0.0);
        // 10 is the top: the tallest bar reaches it; 5 is half as tall.
        assert!((p.bars[2].h - 2.0 * p.bars[1].h).abs() < 0.2);
        assert!((p.bars[2].y - TOP).abs() < 0.2);
        // Bars go left to right in order, never overlapping.
        for w in p.bars.windows(2) {
            assert!(w[0].x + w[0].w < w[1].x);
        }
    }

    #[test]
    fn the_line_passes_through_the_tops_of_the_bars() {
        let p = plot(&[3, 1, 4]);
        assert_eq!(p.dots.len(), 3);
        for (b, (x, y)) in p.bars.iter().zip(&p.dots) {
            assert!((b.x + b.w / 2.0 - x).abs() < 0.2);
            assert_eq!(b.y, *y);
        }
        assert_eq!(p.points.split(' ').count(), 3);
    }

    #[test]
    fn ticks_run_from_zero_to_the_top() {
        let p = plot(&[480]);
        let values: Vec<u64> = p.ticks.iter().map(|t| t.value).collect();
        assert_eq!(values, [0, 100, 200, 300, 400, 500]);
        assert_eq!(p.ticks[0].y, p.floor);
        let p = plot(&[2]);
        let values: Vec<u64> = p.ticks.iter().map(|t| t.value).collect();
        assert_eq!(values, [0, 1, 2]);
        let p = plot(&[]);
        let values: Vec<u64> = p.ticks.iter().map(|t| t.value).collect();
        assert_eq!(values, [0, 1]);
    }

    #[test]
    fn a_long_period_labels_every_few_months() {
        assert_eq!(plot(&[1; 12]).labels.len(), 12);
        let five_years = plot(&[1; 60]);
        assert!(five_years.labels.len() <= 12);
        assert_eq!(five_years.labels[1].index, 5);
    }
}
