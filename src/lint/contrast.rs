//! The colours an inline `style` attribute sets.

use crate::colour::{Colour, parse};

/// The text and background colours an inline `style` attribute sets, if either.
pub fn style_colours(style: &str) -> (Option<Colour>, Option<Colour>) {
    let mut text = None;
    let mut background = None;
    for declaration in style.split(';') {
        let Some((name, value)) = declaration.split_once(':') else {
            continue;
        };
        match name.trim().to_ascii_lowercase().as_str() {
            "color" => text = parse(value),
            "background-color" => background = parse(value),
            // The shorthand: take the first word that is a colour.
            "background" => {
                let functional = value.find("rgb").and_then(|at| {
                    let end = value[at..].find(')')?;
                    parse(&value[at..=at + end])
                });
                background = functional
                    .or_else(|| value.split_whitespace().find_map(parse))
                    .or(background);
            }
            _ => {}
        }
    }
    (text, background)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_are_read_in_their_usual_forms() {
        assert_eq!(
            style_colours("color: #fff; background: rgb(255, 255, 0) none"),
            (Some(Colour(255, 255, 255)), Some(Colour(255, 255, 0)))
        );
        assert_eq!(
            style_colours("COLOR:red;background-color:White"),
            (Some(Colour(255, 0, 0)), Some(Colour(255, 255, 255)))
        );
        assert_eq!(style_colours("margin: 0"), (None, None));
    }
}
