//! Colours and their contrast, by the WCAG 2.x formula: for inline styles in pages, the
//! theme's colour schemes and a site's brand colour.

use std::fmt;

/// An sRGB colour, 0-255 per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour(pub u8, pub u8, pub u8);

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// Parses `#rgb`, `#rrggbb`, `rgb(r, g, b)` and the basic named colours.
pub fn parse(value: &str) -> Option<Colour> {
    let v = value
        .trim()
        .trim_end_matches("!important")
        .trim()
        .to_ascii_lowercase();
    if let Some(hex) = v.strip_prefix('#') {
        let digits: Vec<u8> = hex
            .chars()
            .map(|c| c.to_digit(16).map(|d| d as u8))
            .collect::<Option<_>>()?;
        return match digits.len() {
            3 => Some(Colour(digits[0] * 17, digits[1] * 17, digits[2] * 17)),
            6 => Some(Colour(
                digits[0] * 16 + digits[1],
                digits[2] * 16 + digits[3],
                digits[4] * 16 + digits[5],
            )),
            _ => None,
        };
    }
    if let Some(inner) = v
        .strip_prefix("rgb(")
        .or_else(|| v.strip_prefix("rgba("))
        .and_then(|r| r.strip_suffix(')'))
    {
        let parts: Vec<u8> = inner
            .split([',', ' ', '/'])
            .filter(|p| !p.is_empty())
            .take(3)
            .map(|p| {
                p.trim()
                    .parse::<f64>()
                    .ok()
                    .map(|n| n.clamp(0.0, 255.0) as u8)
            })
            .collect::<Option<_>>()?;
        return (parts.len() == 3).then(|| Colour(parts[0], parts[1], parts[2]));
    }
    let named = match v.as_str() {
        "black" => Colour(0, 0, 0),
        "white" => Colour(255, 255, 255),
        "red" => Colour(255, 0, 0),
        "green" => Colour(0, 128, 0),
        "blue" => Colour(0, 0, 255),
        "yellow" => Colour(255, 255, 0),
        "orange" => Colour(255, 165, 0),
        "grey" | "gray" => Colour(128, 128, 128),
        "silver" => Colour(192, 192, 192),
        "lightgrey" | "lightgray" => Colour(211, 211, 211),
        "navy" => Colour(0, 0, 128),
        "purple" => Colour(128, 0, 128),
        "pink" => Colour(255, 192, 203),
        "maroon" => Colour(128, 0, 0),
        _ => return None,
    };
    Some(named)
}

fn luminance(c: Colour) -> f64 {
    let channel = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.0) + 0.7152 * channel(c.1) + 0.0722 * channel(c.2)
}

/// The WCAG contrast ratio, from 1 to 21.
pub fn ratio(a: Colour, b: Colour) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (light, dark) = if la > lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

/// The colour nearest `colour` in lightness, same hue, that reaches `needed`:1 against
/// `text`: darker under light text, lighter under dark text. `None` when none does.
pub fn nearest_passing(colour: Colour, text: Colour, needed: f64) -> Option<Colour> {
    let darken = luminance(text) > 0.5;
    (0..=100).map(f64::from).find_map(|step| {
        let mix = |v: u8| {
            let v = f64::from(v);
            let toward = if darken { 0.0 } else { 255.0 };
            (v + (toward - v) * step / 100.0).round() as u8
        };
        let candidate = Colour(mix(colour.0), mix(colour.1), mix(colour.2));
        (ratio(candidate, text) >= needed).then_some(candidate)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_passing_colour_keeps_the_hue_and_passes() {
        let white = Colour(255, 255, 255);
        let light_green = Colour(0x4c, 0xaf, 0x50);
        let found = nearest_passing(light_green, white, 4.5).unwrap();
        assert!(ratio(found, white) >= 4.5);
        // One step lighter would fail: it is the nearest.
        assert!(found.1 > found.0 && found.1 > found.2, "{found}");
        let dark_blue = Colour(0x0b, 0x0c, 0x4c);
        assert_eq!(nearest_passing(dark_blue, white, 4.5), Some(dark_blue));
    }

    #[test]
    fn ratios_match_the_wcag_examples() {
        let black = Colour(0, 0, 0);
        let white = Colour(255, 255, 255);
        assert!((ratio(black, white) - 21.0).abs() < 0.01);
        // #767676 on white is the lightest grey that passes AA: 4.54.
        let grey = parse("#767676").unwrap();
        assert!((ratio(grey, white) - 4.54).abs() < 0.01);
        assert!(ratio(parse("#777").unwrap(), white) < 4.5);
        assert_eq!(parse("#12345"), None);
        assert_eq!(Colour(0x1d, 0x4f, 0x91).to_string(), "#1d4f91");
    }
}
