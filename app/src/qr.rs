//! QR codes for tickets, drawn as SVG on the device (they show offline).

use qrcode::{EcLevel, QrCode, render::svg};

/// The SVG of a QR code holding `text`, or `None` when it does not fit in a QR code.
/// Medium error correction: a phone screen with a crack or glare still scans.
pub fn svg(text: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(240, 240)
            .quiet_zone(true)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_becomes_an_svg_of_only_shapes() {
        let ticket = format!("QT1.{}.{}", "a".repeat(200), "b".repeat(86));
        let svg = svg(&ticket).unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
        // Nothing of the text itself ends up in the markup that is put into the page.
        assert!(!svg.contains("QT1"));
        assert!(!svg.contains("<script"));
    }

    #[test]
    fn text_too_long_for_a_qr_code_is_refused() {
        assert_eq!(svg(&"x".repeat(5000)), None);
    }
}
