//! Charts as accessible SVG, generated at build time from `content/_data/figures.yaml`:
//! the picture, a text summary and the data table, so no reader depends on the picture.

use std::fmt::Write;

use crate::content::Chart;
use crate::text::{confirmed, escape_html, number_text, slugify};

const WIDTH: f64 = 640.0;
const ROW: f64 = 56.0;
const BAR_HEIGHT: f64 = 22.0;
const VALUE_SPACE: f64 = 80.0;

/// `<figure>` with an SVG bar chart, its summary, data table and source. `n` keeps ids
/// unique when one page shows several charts.
pub fn render(chart: &Chart, n: usize) -> String {
    let id = format!("chart-{}-{n}", slugify(&chart.id));
    let max = chart
        .bars
        .iter()
        .map(|b| b.value)
        .fold(0.0_f64, f64::max)
        .max(f64::MIN_POSITIVE);
    let height = ROW * chart.bars.len() as f64 + 8.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {WIDTH} {height}\" class=\"chart-image\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape_html(&chart.title),
        escape_html(&chart.summary)
    );
    for (i, bar) in chart.bars.iter().enumerate() {
        let top = i as f64 * ROW;
        let length = ((WIDTH - VALUE_SPACE) * bar.value / max).max(2.0);
        let _ = write!(
            svg,
            "<text class=\"label\" x=\"0\" y=\"{:.1}\">{}</text>\
             <rect class=\"bar\" x=\"0\" y=\"{:.1}\" width=\"{length:.1}\" height=\"{BAR_HEIGHT}\"></rect>\
             <text class=\"value\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            top + 18.0,
            escape_html(&bar.label),
            top + 26.0,
            length + 8.0,
            top + 26.0 + BAR_HEIGHT - 6.0,
            number_text(bar.value)
        );
    }
    svg.push_str("</svg>");

    let mut rows = String::new();
    for bar in &chart.bars {
        let _ = write!(
            rows,
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            escape_html(&bar.label),
            number_text(bar.value)
        );
    }
    format!(
        "<figure class=\"chart\" id=\"{id}\">\n<figcaption>{title}</figcaption>\n{svg}\n\
         <p class=\"chart-summary\">{summary}</p>\n\
         <div class=\"table-wrap\" role=\"region\" aria-label=\"Data for the chart: {title}\" tabindex=\"0\">\
         <table><caption>Data: {title} (as at {as_at})</caption><thead><tr><th scope=\"col\">Measure</th>\
         <th scope=\"col\">Number of {unit}</th></tr></thead><tbody>{rows}</tbody></table></div>\n\
         <p class=\"chart-source\">Source: {source}. Figures as at {as_at}.</p>\n</figure>\n",
        title = escape_html(confirmed(&chart.title)),
        summary = escape_html(confirmed(&chart.summary)),
        as_at = escape_html(confirmed(&chart.as_at)),
        unit = escape_html(confirmed(&chart.unit)),
        source = escape_html(confirmed(&chart.source)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Bar;

    #[test]
    fn a_chart_has_its_picture_summary_and_table() {
        let chart = Chart {
            id: "status".into(),
            title: "By <status>".into(),
            as_at: "2021".into(),
            source: "Report".into(),
            unit: "children".into(),
            summary: "Most are on care orders.".into(),
            bars: vec![
                Bar {
                    label: "Care order".into(),
                    value: 368.0,
                },
                Bar {
                    label: "Remand".into(),
                    value: 1.0,
                },
            ],
        };
        let html = render(&chart, 1);
        assert!(html.contains("<title id=\"chart-status-1-title\">By &lt;status&gt;</title>"));
        assert!(html.contains("<tr><th scope=\"row\">Care order</th><td>368</td></tr>"));
        assert_eq!(html.matches("class=\"bar\"").count(), 2);
    }
}
