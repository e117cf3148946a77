//! The built client's size: every `.wasm`, `.js` and `.css` file Trunk wrote (the service
//! worker and wasm-bindgen snippets included), raw and compressed one file at a time, as a
//! server or CDN would send them: gzip at level 9 and brotli at quality 11 (window 2^22).
//!
//! The client is two builds (`domain::bundle`): the main one in `dist/`, which every device
//! downloads, and the staff one in `dist/staff/`, which only organizers' and admins' devices
//! download on top. Each is measured on its own.

use anyhow::{Context, ensure};
use domain::bundle::STAFF_DIR;
use std::{
    io::Write,
    path::{Path, PathBuf},
};

/// Sizes in bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sizes {
    /// Uncompressed.
    pub raw: u64,
    /// gzip -9.
    pub gzip: u64,
    /// brotli -q 11.
    pub brotli: u64,
}

impl std::ops::AddAssign for Sizes {
    fn add_assign(&mut self, o: Self) {
        self.raw += o.raw;
        self.gzip += o.gzip;
        self.brotli += o.brotli;
    }
}

/// One file's sizes.
pub fn of_bytes(bytes: &[u8]) -> anyhow::Result<Sizes> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes)?;
    let gzip = gz.finish()?.len();
    let mut br = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut br, 64 * 1024, 11, 22);
        w.write_all(bytes)?;
        w.flush()?;
    }
    Ok(Sizes {
        raw: bytes.len() as u64,
        gzip: gzip as u64,
        brotli: br.len() as u64,
    })
}

/// One build's total and each kind's share (`wasm`, `js`, `css`).
pub type BuildSizes = (Sizes, Vec<(String, Sizes)>);

/// The client in `dist`: the main build (everything outside `staff/`) and the staff build
/// (`staff/`, when there is one).
pub fn of_client(dist: &Path) -> anyhow::Result<(BuildSizes, Option<BuildSizes>)> {
    let main = of_build(dist, Some(STAFF_DIR))?;
    let staff_dir = dist.join(STAFF_DIR);
    let staff = if staff_dir.is_dir() {
        Some(of_build(&staff_dir, None)?)
    } else {
        None
    };
    Ok((main, staff))
}

/// The build in `dist`, leaving out the folder `skip`.
fn of_build(dist: &Path, skip: Option<&str>) -> anyhow::Result<BuildSizes> {
    ensure!(
        dist.join("index.html").is_file(),
        "no built client in {}",
        dist.display()
    );
    let mut files = Vec::new();
    walk(dist, &mut files)?;
    if let Some(skip) = skip {
        let skip = dist.join(skip);
        files.retain(|f| !f.starts_with(&skip));
    }
    let mut total = Sizes::default();
    let mut kinds: Vec<(String, Sizes)> = ["wasm", "js", "css"]
        .iter()
        .map(|k| ((*k).to_owned(), Sizes::default()))
        .collect();
    for file in files {
        let Some(ext) = file.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        let Some((_, kind)) = kinds.iter_mut().find(|(k, _)| k == ext) else {
            continue;
        };
        let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
        let sizes = of_bytes(&bytes)?;
        *kind += sizes.clone();
        total += sizes;
    }
    ensure!(
        kinds[0].1.raw > 0,
        "no .wasm file in {}: is it a Trunk build?",
        dist.display()
    );
    Ok((total, kinds))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_sizes_are_real_and_smaller_for_repetitive_input() {
        let text = "青团 offline-first ".repeat(2000);
        let s = of_bytes(text.as_bytes()).unwrap();
        assert_eq!(s.raw, text.len() as u64);
        assert!(s.gzip > 0 && s.gzip < s.raw / 10, "{s:?}");
        assert!(s.brotli > 0 && s.brotli <= s.gzip, "{s:?}");
        // And they decompress to the input.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(text.as_bytes()).unwrap();
        let packed = gz.finish().unwrap();
        let mut unpacked = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::GzDecoder::new(&packed[..]),
            &mut unpacked,
        )
        .unwrap();
        assert_eq!(unpacked, text);
    }

    #[test]
    fn counts_only_wasm_js_and_css_in_every_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<!doctype html>").unwrap();
        std::fs::write(dir.path().join("app_bg.wasm"), vec![0u8; 1000]).unwrap();
        std::fs::write(dir.path().join("app.js"), "x".repeat(300)).unwrap();
        std::fs::write(dir.path().join("icon.png"), vec![1u8; 5000]).unwrap();
        std::fs::create_dir(dir.path().join("snippets")).unwrap();
        std::fs::write(dir.path().join("snippets/a.js"), "y".repeat(200)).unwrap();
        std::fs::write(dir.path().join("style.css"), "z".repeat(100)).unwrap();
        let ((total, kinds), staff) = of_client(dir.path()).unwrap();
        assert_eq!(staff, None);
        assert_eq!(total.raw, 1600);
        assert_eq!(
            kinds[0],
            ("wasm".to_owned(), of_bytes(&[0u8; 1000]).unwrap())
        );
        assert_eq!(kinds[1].1.raw, 500);
        assert_eq!(kinds[2].1.raw, 100);
    }

    #[test]
    fn the_staff_build_is_measured_apart_from_the_main_one() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<!doctype html>").unwrap();
        std::fs::write(dir.path().join("app_bg.wasm"), vec![0u8; 1000]).unwrap();
        let staff = dir.path().join("staff");
        std::fs::create_dir(&staff).unwrap();
        std::fs::write(staff.join("index.html"), "<!doctype html>").unwrap();
        std::fs::write(staff.join("staff_bg.wasm"), vec![0u8; 700]).unwrap();
        std::fs::write(staff.join("staff.js"), "x".repeat(20)).unwrap();
        let ((main, _), staff) = of_client(dir.path()).unwrap();
        assert_eq!(main.raw, 1000);
        let (staff, kinds) = staff.unwrap();
        assert_eq!(staff.raw, 720);
        assert_eq!(kinds[0].1.raw, 700);
    }
}
